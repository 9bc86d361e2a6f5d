using System.Security.Cryptography;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.FileServer;

/// <summary>Serves <c>salt://</c> files from <c>file_roots</c>; a path that would leave a root is refused.</summary>
public sealed class FileServer(MasterOptions options)
{
    /// <summary>Finds a file in the environment's roots (first root wins, as in Salt); null when missing or refused.</summary>
    public string? Resolve(string saltenv, string relativePath)
    {
        if (!options.FileRoots.TryGetValue(saltenv, out var roots))
        {
            return null;
        }
        var path = relativePath.StartsWith("salt://", StringComparison.Ordinal) ? relativePath["salt://".Length..] : relativePath;
        foreach (var root in roots)
        {
            var full = NameValidator.ResolveUnder(root, path);
            if (full is not null && File.Exists(full))
            {
                return full;
            }
        }
        return null;
    }

    public (byte[] Contents, string Sha256)? Read(string saltenv, string relativePath)
    {
        var full = Resolve(saltenv, relativePath);
        if (full is null)
        {
            return null;
        }
        var bytes = File.ReadAllBytes(full);
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public IReadOnlyList<string> List(string saltenv)
    {
        if (!options.FileRoots.TryGetValue(saltenv, out var roots))
        {
            return [];
        }
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in roots.Where(Directory.Exists))
        {
            var fullRoot = Path.GetFullPath(root);
            foreach (var file in Directory.EnumerateFiles(fullRoot, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(fullRoot, file).Replace('\\', '/');
                if (NameValidator.ResolveUnder(fullRoot, relative) is not null)
                {
                    files.Add(relative);
                }
            }
        }
        return [.. files];
    }
}
