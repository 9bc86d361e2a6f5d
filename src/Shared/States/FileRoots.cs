using Orchestrator.Shared.Security;

namespace Orchestrator.Shared.States;

/// <summary>
/// A tree of environments → root directories (<c>file_roots</c>, <c>pillar_roots</c>): finds <c>salt://</c> paths in
/// them (first root wins, as in Salt) and lists their files. A path that would leave a root is never resolved.
/// </summary>
public sealed class FileRoots(IReadOnlyDictionary<string, List<string>> roots) : ISlsTree
{
    /// <summary>The environments and their directories.</summary>
    public IReadOnlyDictionary<string, List<string>> Roots { get; } = roots;

    /// <summary>
    /// The absolute path of a file, or null when it is absent or unsafe. Accepts <c>salt://path</c> and
    /// <c>salt://path?saltenv=env</c> as well as bare relative paths.
    /// </summary>
    public string? Resolve(string saltenv, string path)
    {
        var relative = path.StartsWith("salt://", StringComparison.Ordinal) ? path["salt://".Length..] : path;
        var query = relative.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var env = relative[(query + 1)..].Split('&').FirstOrDefault(p => p.StartsWith("saltenv=", StringComparison.Ordinal));
            saltenv = env is null ? saltenv : env["saltenv=".Length..];
            relative = relative[..query];
        }
        foreach (var root in Roots.GetValueOrDefault(saltenv) ?? [])
        {
            if (NameValidator.ResolveUnder(root, relative) is { } full && File.Exists(full))
            {
                return full;
            }
        }
        return null;
    }

    /// <inheritdoc />
    public IEnumerable<string> Environments => Roots.Keys;

    /// <inheritdoc />
    public SlsFile? Find(string saltenv, string path) => Resolve(saltenv, path) is { } full ? new SlsFile(full, File.ReadAllText(full)) : null;

    /// <summary>Reads a file's text, or null when <see cref="Resolve"/> finds nothing.</summary>
    public string? ReadText(string saltenv, string path) => Resolve(saltenv, path) is { } full ? File.ReadAllText(full) : null;

    /// <summary>Every safe file of an environment, relative to its root, sorted.</summary>
    public IReadOnlyList<string> List(string saltenv)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in (Roots.GetValueOrDefault(saltenv) ?? []).Where(Directory.Exists))
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
