using System.Text.RegularExpressions;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// Salt's gitfs: each remote is fetched into a bare cache repository under <c>cachedir/gitfs/HASH</c>, and files are
/// read straight from the tree of a ref's commit (no checkout), so one request sees one whole commit. Branches and tags
/// are saltenvs; the base branch is <c>base</c>. A failed fetch leaves the cache's refs as they were.
/// </summary>
public sealed class GitfsBackend(MasterOptions options, ILogger<GitfsBackend>? logger = null)
{
    private const string RemoteName = GitMirror.RemoteName;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly GitMirror _mirror = new(Path.Combine(options.CacheDir, "gitfs"), "gitfs", (ILogger?)logger ?? NullLogger.Instance);
    private readonly SemaphoreSlim _updating = new(1, 1);

    private GitfsOptions Config => options.Gitfs;

    public string CacheRoot => Path.Combine(options.CacheDir, "gitfs");

    /// <summary>The bare cache repository of a remote: a hash of its URL, as Salt keys its cache.</summary>
    public string CacheDirOf(GitfsRemote remote) => _mirror.CacheDirOf(remote.Url);

    /// <summary>Removes every remote's update lock (a crashed master's); Salt's <c>cache.clear_git_lock gitfs</c>.</summary>
    public (List<string> Cleared, List<string> Errors) ClearLocks(string? remoteFilter)
    {
        var cleared = new List<string>();
        var errors = new List<string>();
        foreach (var remote in Config.Remotes.Where(r => GitMirror.Chosen(r.Url, remoteFilter)))
        {
            var (c, e) = _mirror.ClearLock(remote.Url, remote.Url);
            cleared.AddRange(c);
            errors.AddRange(e);
        }
        return (cleared, errors);
    }

    /// <summary>Fetches every remote; one failing remote does not stop the others.</summary>
    public async Task<IReadOnlyList<GitfsUpdateResult>> UpdateAsync(CancellationToken cancellationToken)
    {
        await _updating.WaitAsync(cancellationToken);
        try
        {
            var results = new List<GitfsUpdateResult>();
            foreach (var remote in Config.Remotes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(await Task.Run(() => UpdateRemote(remote), cancellationToken));
            }
            return results;
        }
        finally
        {
            _updating.Release();
        }
    }

    private GitfsUpdateResult UpdateRemote(GitfsRemote remote) => _mirror.Fetch(remote.Url, remote.Url);

    /// <summary>The saltenvs the remotes offer: their branches and tags (the base branch as <c>base</c>) and mapped saltenvs.</summary>
    public IReadOnlyList<string> Envs()
    {
        var envs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var remote in Config.Remotes)
        {
            WithRepo(remote, repo =>
            {
                var baseRef = BaseOf(remote, repo);
                foreach (var name in RefNames(repo))
                {
                    envs.Add(name == baseRef ? "base" : name);
                }
                if (Lookup(repo, baseRef) is not null)
                {
                    envs.Add("base");
                }
                envs.UnionWith(remote.Saltenvs.Keys);
                return true;
            });
        }
        return [.. envs.Where(Allowed)];
    }

    /// <summary>A file of a saltenv from the first remote that has it, or null.</summary>
    public byte[]? Read(string saltenv, string path)
    {
        if (!Allowed(saltenv) || Clean(path) is not { } relative)
        {
            return null;
        }
        foreach (var remote in Config.Remotes)
        {
            var bytes = WithRepo(remote, repo =>
            {
                if (ResolveCommit(remote, repo, saltenv) is not { } commit || InRepo(remote, relative) is not { } inRepo)
                {
                    return null;
                }
                return commit[inRepo]?.Target is Blob blob ? ReadAll(blob) : null;
            });
            if (bytes is not null)
            {
                return bytes;
            }
        }
        return null;
    }

    /// <summary>Every file of a saltenv (as salt:// paths, mountpoint included), sorted; one commit per remote.</summary>
    public IReadOnlyList<string> List(string saltenv) => Walk(saltenv, files: true);

    /// <summary>Every directory of a saltenv, sorted.</summary>
    public IReadOnlyList<string> DirList(string saltenv) => Walk(saltenv, files: false);

    /// <summary>Removes every remote's cache; the next update fetches them anew.</summary>
    public IReadOnlyList<string> ClearCache()
    {
        _updating.Wait();
        try
        {
            var cleared = new List<string>();
            foreach (var remote in Config.Remotes.Where(r => Directory.Exists(CacheDirOf(r))))
            {
                Directory.Delete(CacheDirOf(remote), recursive: true);
                cleared.Add(remote.Url);
            }
            return cleared;
        }
        finally
        {
            _updating.Release();
        }
    }

    private List<string> Walk(string saltenv, bool files)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        if (!Allowed(saltenv))
        {
            return [];
        }
        foreach (var remote in Config.Remotes)
        {
            WithRepo(remote, repo =>
            {
                if (ResolveCommit(remote, repo, saltenv) is not { } commit)
                {
                    return false;
                }
                var tree = remote.Root.Length == 0 ? commit.Tree : commit[remote.Root]?.Target as Tree;
                if (tree is null)
                {
                    return false;
                }
                if (!files && remote.Mountpoint.Length > 0)
                {
                    // The mountpoint's own directories exist in salt:// too.
                    var parts = remote.Mountpoint.Split('/');
                    for (var i = 1; i <= parts.Length; i++)
                    {
                        result.Add(string.Join('/', parts[..i]));
                    }
                }
                Collect(tree, remote.Mountpoint, files, result);
                return true;
            });
        }
        return [.. result];
    }

    private static void Collect(Tree tree, string prefix, bool files, SortedSet<string> into)
    {
        foreach (var entry in tree)
        {
            var path = prefix.Length == 0 ? entry.Name : prefix + "/" + entry.Name;
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    if (!files)
                    {
                        into.Add(path);
                    }
                    Collect((Tree)entry.Target, path, files, into);
                    break;
                case TreeEntryTargetType.Blob when files:
                    into.Add(path);
                    break;
            }
        }
    }

    private T? WithRepo<T>(GitfsRemote remote, Func<Repository, T?> read)
    {
        var dir = CacheDirOf(remote);
        if (!Repository.IsValid(dir))
        {
            return default;
        }
        try
        {
            using var repo = new Repository(dir);
            return read(repo);
        }
        catch (LibGit2SharpException e)
        {
            GitfsLog.ReadFailed(_logger, remote.Url, e.Message);
            return default;
        }
    }

    private Commit? ResolveCommit(GitfsRemote remote, Repository repo, string saltenv)
    {
        var reference = remote.Saltenvs.TryGetValue(saltenv, out var mapped) ? mapped
            : saltenv == "base" ? BaseOf(remote, repo)
            : saltenv;
        // The base branch is only served as base, as in Salt.
        if (!remote.Saltenvs.ContainsKey(saltenv) && saltenv != "base" && saltenv == BaseOf(remote, repo))
        {
            return null;
        }
        return Lookup(repo, reference);
    }

    private static Commit? Lookup(Repository repo, string reference)
    {
        var target = repo.Refs[$"refs/remotes/{RemoteName}/{reference}"] ?? repo.Refs[$"refs/tags/{reference}"];
        if (target is null)
        {
            return null;
        }
        // Annotated tags point at a tag object: peel to the commit.
        return repo.Lookup(target.ResolveToDirectReference().TargetIdentifier)?.Peel<Commit>();
    }

    private string BaseOf(GitfsRemote remote, Repository repo) =>
        remote.Base ?? (repo.Refs[$"refs/remotes/{RemoteName}/master"] is null && repo.Refs[$"refs/remotes/{RemoteName}/main"] is not null ? "main" : "master");

    private static IEnumerable<string> RefNames(Repository repo)
    {
        foreach (var r in repo.Refs)
        {
            if (r.CanonicalName.StartsWith($"refs/remotes/{RemoteName}/", StringComparison.Ordinal) && !r.CanonicalName.EndsWith("/HEAD", StringComparison.Ordinal))
            {
                yield return r.CanonicalName[$"refs/remotes/{RemoteName}/".Length..];
            }
            else if (r.CanonicalName.StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                yield return r.CanonicalName["refs/tags/".Length..];
            }
        }
    }

    private bool Allowed(string saltenv) =>
        (Config.SaltenvWhitelist.Count == 0 || Config.SaltenvWhitelist.Any(p => Matches(p, saltenv)))
        && !Config.SaltenvBlacklist.Any(p => Matches(p, saltenv));

    // Salt matches white/blacklist entries as exact names or as regexes.
    private static bool Matches(string pattern, string saltenv)
    {
        if (pattern == saltenv)
        {
            return true;
        }
        try
        {
            return Regex.IsMatch(saltenv, "^(?:" + pattern + ")$", RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A salt:// path as slash segments with nothing that could climb, or null.</summary>
    private static string? Clean(string path)
    {
        var relative = path.StartsWith("salt://", StringComparison.Ordinal) ? path["salt://".Length..] : path;
        var query = relative.IndexOf('?', StringComparison.Ordinal);
        relative = query >= 0 ? relative[..query] : relative;
        var parts = relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 || parts.Any(p => p is "." or "..") ? null : string.Join('/', parts);
    }

    private static string? InRepo(GitfsRemote remote, string relative)
    {
        if (remote.Mountpoint.Length > 0)
        {
            if (!relative.StartsWith(remote.Mountpoint + "/", StringComparison.Ordinal))
            {
                return null;
            }
            relative = relative[(remote.Mountpoint.Length + 1)..];
        }
        return remote.Root.Length == 0 ? relative : remote.Root + "/" + relative;
    }

    private static byte[] ReadAll(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
