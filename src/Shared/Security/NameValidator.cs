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
        // Any component may be a symlink pointing anywhere (root/dir -> /etc makes root/dir/passwd /etc/passwd), and so may
        // the root's own ancestors: compare real paths, with every link on the way followed, as realpath(3) does.
        var realRoot = RealPath(fullRoot);
        var realFull = RealPath(full);
        if (realRoot is null || realFull is null || !IsUnder(realRoot, realFull))
        {
            return null;
        }
        return full;
    }

    /// <summary>The path with every symlink component resolved (parts that do not exist yet are kept); null on a link loop.</summary>
    private static string? RealPath(string absolutePath)
    {
        const int MaxLinks = 40;
        var todo = new Stack<string>(Segments(absolutePath).Reverse());
        var current = "/";
        var links = 0;
        while (todo.TryPop(out var segment))
        {
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = Path.Join(current, segment);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
            {
                return null;
            }
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }
            foreach (var part in Segments(target).Reverse())
            {
                todo.Push(part);
            }
        }
        return current;
    }

    private static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool IsUnder(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
