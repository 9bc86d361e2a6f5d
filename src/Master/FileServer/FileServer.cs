using System.Security.Cryptography;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.States;

namespace Orchestrator.Master.FileServer;

/// <summary>Serves <c>salt://</c> files from <c>file_roots</c>; a path that would leave a root is refused.</summary>
public sealed class FileServer(MasterOptions options)
{
    // Read per call: the options object is the live configuration.
    private FileRoots Roots => new(options.FileRoots);

    public (byte[] Contents, string Sha256)? Read(string saltenv, string relativePath)
    {
        var full = Roots.Resolve(saltenv, relativePath);
        if (full is null)
        {
            return null;
        }
        var bytes = File.ReadAllBytes(full);
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public IReadOnlyList<string> List(string saltenv) => Roots.List(saltenv);
}
