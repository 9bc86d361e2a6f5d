using Orchestrator.Minion.Modules;
using Orchestrator.Shared.States;

namespace Orchestrator.Minion.StateEngine.Local;

/// <summary>
/// Serves <c>salt://</c> files from local <c>file_roots</c> (for <c>orch call --local</c>). Paths that climb out of a root
/// (<c>..</c>, absolute paths, or symlinks resolving outside it) are refused.
/// </summary>
public sealed class LocalFileClient(IReadOnlyDictionary<string, IReadOnlyList<string>> roots) : IFileClient, IDirectoryLister
{
    private readonly FileRoots _roots = new(roots.ToDictionary(r => r.Key, r => r.Value.ToList(), StringComparer.Ordinal));

    public Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken) =>
        Task.FromResult(_roots.Resolve(saltenv, url));

    /// <summary>The absolute path of a relative file in an environment's roots, or null when absent or unsafe.</summary>
    public string? Resolve(string relative, string saltenv) => _roots.Resolve(saltenv, relative);

    public Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken) =>
        Task.FromResult(_roots.List(saltenv));

    /// <summary>Every directory under the environment's roots (<c>.</c> for a root), empty ones included, as Salt's roots backend walks them.</summary>
    public Task<IReadOnlyList<string>> ListDirectoriesAsync(string saltenv, CancellationToken cancellationToken)
    {
        var dirs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in (_roots.Roots.GetValueOrDefault(saltenv) ?? []).Where(Directory.Exists))
        {
            var fullRoot = Path.GetFullPath(root);
            dirs.Add(".");
            foreach (var dir in Directory.EnumerateDirectories(fullRoot, "*", SearchOption.AllDirectories))
            {
                dirs.Add(Path.GetRelativePath(fullRoot, dir).Replace('\\', '/'));
            }
        }
        return Task.FromResult<IReadOnlyList<string>>([.. dirs]);
    }
}
