namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>
/// Salt's <c>SaltCacheLoader</c> bookkeeping for one render: names starting with <c>./</c> or <c>../</c> resolve against
/// the loader's current <c>tpldir</c>, and the first load of a template sets the <c>tplfile</c>, <c>tpldir</c> and
/// <c>tpldot</c> globals that templates imported without context then see.
/// </summary>
internal sealed class TemplateLoaderState
{
    private static readonly string[] _keys = ["tplfile", "tpldir", "tpldot"];
    private readonly HashSet<string> _loaded = new(StringComparer.Ordinal);
    private string? _tpldir;

    public TemplateLoaderState(IDictionary<string, object?> context)
    {
        // Salt copies the render context into the environment globals, so the loader starts from the SLS's tpldir.
        _tpldir = context.TryGetValue("tpldir", out var dir) && dir is string s ? s : null;
    }

    /// <summary>The <c>tpl*</c> values the loader has set so far (empty until a template was loaded).</summary>
    public Dictionary<string, object?> Globals { get; } = new(StringComparer.Ordinal);

    /// <summary>The name to load for <paramref name="name"/>, or null when a relative name cannot be resolved.</summary>
    public string? Resolve(string name)
    {
        if (!IsRelative(name))
        {
            return name;
        }
        if (_tpldir is null)
        {
            return null;
        }
        var resolved = NormPath(_tpldir + "/" + name);
        return resolved == ".." || resolved.StartsWith("../", StringComparison.Ordinal) ? null : resolved;
    }

    /// <summary>Records the first load of <paramref name="resolved"/> in this render as Salt's loader does.</summary>
    public void Loaded(string name, string resolved)
    {
        if (!_loaded.Add(resolved))
        {
            return;
        }
        string dir;
        string file;
        if (IsRelative(name))
        {
            dir = _tpldir ?? Dirname(resolved);
            file = name;
        }
        else
        {
            dir = Dirname(resolved);
            file = resolved;
        }
        Globals[_keys[0]] = file;
        Globals[_keys[1]] = dir.Length == 0 ? "." : dir;
        Globals[_keys[2]] = dir.Replace('/', '.');
        _tpldir = (string)Globals[_keys[1]]!;
    }

    private static bool IsRelative(string name)
    {
        var first = name.Split('/', 2)[0];
        return first is "." or "..";
    }

    private static string Dirname(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    /// <summary>Python's <c>os.path.normpath</c> for a relative POSIX path.</summary>
    private static string NormPath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }
}
