using System.Reflection;
using System.Security.Cryptography;

namespace Orchestrator.Master.WebConsole;

/// <summary>
/// The web console's files, read once from the resources embedded in orch-master (logical names <c>console/&lt;path&gt;</c>,
/// from src/Master/Console/wwwroot).
/// </summary>
/// <remarks>
/// Serving only from this fixed table, looked up by exact path, is what keeps a request from reaching any other file:
/// there is no file system path to traverse.
/// </remarks>
public sealed class ConsoleAssets
{
    /// <summary>The prefix of the console's embedded resource names.</summary>
    public const string ResourcePrefix = "console/";

    /// <summary>The page every console URL that is not a file gets (the single-page application's shell).</summary>
    public const string IndexPath = "index.html";

    private static readonly Dictionary<string, string> _contentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    };

    private readonly Dictionary<string, ConsoleAsset> _files;

    private ConsoleAssets(Dictionary<string, ConsoleAsset> files) => _files = files;

    /// <summary>How many files the console has.</summary>
    public int Count => _files.Count;

    /// <summary>The console's file at <paramref name="path"/> (relative, '/'-separated, e.g. <c>assets/app.js</c>), or null.</summary>
    public ConsoleAsset? Find(string path) => _files.GetValueOrDefault(path);

    /// <summary>Reads the console's files embedded in <paramref name="assembly"/>.</summary>
    public static ConsoleAssets Load(Assembly assembly)
    {
        var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            // RecursiveDir carries the build machine's separator.
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var type = _contentTypes.GetValueOrDefault(System.IO.Path.GetExtension(path), "application/octet-stream");
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
            files[path] = new ConsoleAsset(path, content, type, etag);
        }
        return new ConsoleAssets(files);
    }
}
