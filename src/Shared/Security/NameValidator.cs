namespace Orchestrator.Shared.Security;

/// <summary>Validates names a peer sends (minion ids, file paths, saltenvs) before they touch a path or a query.</summary>
public static class NameValidator
{
    /// <summary>Longest accepted minion id.</summary>
    public const int MaxIdLength = 255;

    /// <summary>Returns null when <paramref name="id"/> is a safe minion id, else why not.</summary>
    /// <remarks>Rejects empty, over-long, <c>.</c>/<c>..</c>, path separators, NUL and control characters (CVE-2020-11652's class).</remarks>
    public static string? CheckMinionId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "minion id is empty";
        }
        if (id.Length > MaxIdLength)
        {
            return $"minion id longer than {MaxIdLength} characters";
        }
        if (id is "." or ".." || id.Contains("..", StringComparison.Ordinal))
        {
            return $"minion id '{Printable(id)}' contains '..'";
        }
        foreach (var c in id)
        {
            if (c is '/' or '\\' or '\0' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return $"minion id '{Printable(id)}' contains a forbidden character";
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="id"/> passes <see cref="CheckMinionId"/>.</summary>
    public static bool IsValidMinionId(string? id) => CheckMinionId(id) is null;

    /// <summary>
    /// Resolves a relative path under <paramref name="root"/>, or returns null if it would escape it
    /// (absolute paths, <c>..</c> segments, NUL, or a symlink pointing outside).
    /// </summary>
    public static string? ResolveUnder(string root, string relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.Contains('\0') || Path.IsPathRooted(relative) || relative.Contains('\\'))
        {
            return null;
        }
        if (relative.Split('/').Any(segment => segment == ".."))
        {
            return null;
        }
        var fullRoot = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        if (!IsUnder(fullRoot, full))
        {
            return null;
        }
        // A symlink inside the root may point anywhere; follow the chain and check the final target too.
        var info = new FileInfo(full);
        if (info.Exists && info.LinkTarget is not null)
        {
            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target is null || !IsUnder(Path.GetFullPath(ResolveRealPath(fullRoot)), ResolveRealPath(target)))
            {
                return null;
            }
        }
        return full;
    }

    private static string ResolveRealPath(string path)
    {
        var info = new DirectoryInfo(path);
        return info.LinkTarget is not null ? info.ResolveLinkTarget(true)?.FullName ?? path : path;
    }

    private static bool IsUnder(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
