namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Python's <c>posixpath</c> string functions, which Salt's <c>file.join/basename/dirname</c> are.</summary>
/// <remarks>.NET's <see cref="Path"/> differs at the edges (<c>dirname('/')</c> is <c>/</c>, <c>dirname('a//b')</c> is <c>a</c>,
/// an absolute part restarts a join), and templates build paths from these results.</remarks>
internal static class PosixPath
{
    public static string Join(string first, IEnumerable<string> rest)
    {
        var path = first;
        foreach (var part in rest)
        {
            if (part.StartsWith('/'))
            {
                path = part;
            }
            else if (path.Length == 0 || path.EndsWith('/'))
            {
                path += part;
            }
            else
            {
                path += "/" + part;
            }
        }
        return path;
    }

    public static string Basename(string path) => path[(path.LastIndexOf('/') + 1)..];

    public static string Dirname(string path)
    {
        var head = path[..(path.LastIndexOf('/') + 1)];
        return head.Length > 0 && head.Any(c => c != '/') ? head.TrimEnd('/') : head;
    }
}
