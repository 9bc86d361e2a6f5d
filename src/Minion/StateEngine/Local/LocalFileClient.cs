using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.StateEngine.Local;

/// <summary>
/// Serves <c>salt://</c> files from local <c>file_roots</c> (for <c>orch call --local</c>). Paths that climb out of a root
/// (<c>..</c>, absolute paths, or symlinks resolving outside it) are refused.
/// </summary>
public sealed class LocalFileClient(IReadOnlyDictionary<string, IReadOnlyList<string>> roots) : IFileClient
{
    public Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken)
    {
        var relative = url.StartsWith("salt://", StringComparison.Ordinal) ? url["salt://".Length..] : url;
        var query = relative.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var env = relative[(query + 1)..].Split('&').FirstOrDefault(p => p.StartsWith("saltenv=", StringComparison.Ordinal));
            if (env is not null)
            {
                saltenv = env["saltenv=".Length..];
            }
            relative = relative[..query];
        }
        return Task.FromResult(Resolve(relative, saltenv));
    }

    /// <summary>The absolute path of a relative file in an environment's roots, or null when absent or unsafe.</summary>
    public string? Resolve(string relative, string saltenv)
    {
        if (relative.Length == 0 || relative.StartsWith('/') || relative.Contains('\\', StringComparison.Ordinal)
            || relative.Split('/').Any(part => part == ".."))
        {
            return null;
        }
        foreach (var root in roots.GetValueOrDefault(saltenv) ?? [])
        {
            var fullRoot = Path.GetFullPath(root);
            var candidate = Path.GetFullPath(Path.Combine(fullRoot, relative));
            if (!File.Exists(candidate) || !IsInside(fullRoot, candidate))
            {
                continue;
            }
            var real = RealPath(candidate);
            var realRoot = RealPath(fullRoot);
            if (real is null || realRoot is null || !IsInside(realRoot, real))
            {
                continue;
            }
            return candidate;
        }
        return null;
    }

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string? RealPath(string path)
    {
        try
        {
            var parts = Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
            var current = "/";
            for (var depth = 0; depth < parts.Length; depth++)
            {
                var next = Path.Combine(current, parts[depth]);
                var info = new FileInfo(next);
                var hops = 0;
                while (info.LinkTarget is { } target)
                {
                    if (++hops > 40)
                    {
                        return null;
                    }
                    next = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, target));
                    info = new FileInfo(next);
                }
                current = next;
            }
            return current;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in roots.GetValueOrDefault(saltenv) ?? [])
        {
            if (!Directory.Exists(root))
            {
                continue;
            }
            var fullRoot = Path.GetFullPath(root);
            foreach (var file in Directory.EnumerateFiles(fullRoot, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(fullRoot, file).Replace('\\', '/');
                if (Resolve(relative, saltenv) is not null)
                {
                    result.Add(relative);
                }
            }
        }
        return Task.FromResult<IReadOnlyList<string>>(result.ToList());
    }
}
