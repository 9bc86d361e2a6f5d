using System.Text.RegularExpressions;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// Salt's gitfs: each remote is fetched into a bare cache repository under <c>cachedir/gitfs/HASH</c>, and files are
/// read straight from the tree of a ref's commit (no checkout), so one request sees one whole commit. Branches and tags
/// are saltenvs; the base branch is <c>base</c>. A failed fetch leaves the cache's refs as they were. Reads go through
/// numbered <see cref="GitfsView"/>s (open repositories with their saltenvs resolved), rebuilt when an update changed
/// something; a reader that names an older view's revision keeps reading that view while it is kept.
/// </summary>
public sealed class GitfsBackend(MasterOptions options, ILogger<GitfsBackend>? logger = null) : IDisposable
{
    /// <summary>Views kept for pinned readers: a state run spanning more updates than this reads the newest one.</summary>
    private const int KeptViews = 16;

    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly GitMirror _mirror = new(Path.Combine(options.CacheDir, "gitfs"), "gitfs", (ILogger?)logger ?? NullLogger.Instance);
    private readonly SemaphoreSlim _updating = new(1, 1);
    private readonly Lock _viewsGate = new();
    private readonly Queue<GitfsView> _views = new();
    private GitfsView? _current;
    private long _revisions;

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

    /// <summary>Fetches every remote; one failing remote does not stop the others. A change makes a new view.</summary>
    public async Task<IReadOnlyList<GitfsUpdateResult>> UpdateAsync(CancellationToken cancellationToken)
    {
        await _updating.WaitAsync(cancellationToken);
        try
        {
            var results = new List<GitfsUpdateResult>();
            foreach (var remote in Config.Remotes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(await Task.Run(() => _mirror.Fetch(remote.Url, remote.Url, remote.Credentials), cancellationToken));
            }
            if (results.Any(r => r.Changed) || Volatile.Read(ref _current) is null)
            {
                Publish();
            }
            return results;
        }
        finally
        {
            _updating.Release();
        }
    }

    /// <summary>The revision a reader pinned to <paramref name="revision"/> reads: that view while kept, else the newest.</summary>
    public long Pin(long revision) => View(revision).Revision;

    /// <summary>The saltenvs the remotes offer: their branches and tags (the base branch as <c>base</c>) and mapped saltenvs.</summary>
    public IReadOnlyList<string> Envs() =>
        [.. View(0).Remotes.SelectMany(r => r.Envs).Distinct(StringComparer.Ordinal).Where(Allowed).Order(StringComparer.Ordinal)];

    /// <summary>A file of a saltenv from the first remote that has it in the newest view, or null.</summary>
    public byte[]? Read(string saltenv, string path) => Read(saltenv, path, 0).Contents;

    /// <summary>
    /// A file of a saltenv from the view of <paramref name="revision"/> (0, or one no longer kept: the newest), with the
    /// revision it was read at.
    /// </summary>
    public (byte[]? Contents, long Revision) Read(string saltenv, string path, long revision)
    {
        var view = View(revision);
        // The white/blacklists are read per call: they are live configuration, not part of a view.
        if (!Allowed(saltenv) || Clean(path) is not { } relative)
        {
            return (null, view.Revision);
        }
        foreach (var remote in view.Remotes)
        {
            if (remote.Repo is null || !remote.Commits.TryGetValue(saltenv, out var id) || InRepo(remote.Remote, relative) is not { } inRepo)
            {
                continue;
            }
            var bytes = Guarded(remote, repo => repo.Lookup<Commit>(id)?[inRepo]?.Target is Blob blob ? ReadAll(blob) : null);
            if (bytes is not null)
            {
                return (bytes, view.Revision);
            }
        }
        return (null, view.Revision);
    }

    /// <summary>Every file of a saltenv (as salt:// paths, mountpoint included), sorted; one commit per remote.</summary>
    public IReadOnlyList<string> List(string saltenv) => List(saltenv, 0).Files;

    /// <summary>Every file of a saltenv in the view of <paramref name="revision"/>, with the revision listed.</summary>
    public (IReadOnlyList<string> Files, long Revision) List(string saltenv, long revision)
    {
        var view = View(revision);
        return (Walk(view, saltenv, files: true), view.Revision);
    }

    /// <summary>Every directory of a saltenv, sorted.</summary>
    public IReadOnlyList<string> DirList(string saltenv) => Walk(View(0), saltenv, files: false);

    /// <summary>Removes every remote's cache; the next update fetches them anew.</summary>
    public IReadOnlyList<string> ClearCache()
    {
        _updating.Wait();
        try
        {
            // Readers of the old views get nothing from here on, rather than files of a deleted cache.
            RetireAll();
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

    public void Dispose() => RetireAll();

    private GitfsView View(long revision)
    {
        if (Volatile.Read(ref _current) is not { } current)
        {
            // The first read before any update in this process serves what the cache already holds.
            lock (_viewsGate)
            {
                current = _current ?? PublishLocked();
            }
        }
        if (revision == 0 || revision == current.Revision)
        {
            return current;
        }
        lock (_viewsGate)
        {
            return _views.FirstOrDefault(v => v.Revision == revision) ?? current;
        }
    }

    private void Publish()
    {
        lock (_viewsGate)
        {
            PublishLocked();
        }
    }

    private GitfsView PublishLocked()
    {
        var view = GitfsView.Build(++_revisions, Config, CacheDirOf, _logger);
        _views.Enqueue(view);
        while (_views.Count > KeptViews)
        {
            _views.Dequeue().Dispose();
        }
        Volatile.Write(ref _current, view);
        return view;
    }

    private void RetireAll()
    {
        lock (_viewsGate)
        {
            while (_views.TryDequeue(out var view))
            {
                view.Dispose();
            }
            Volatile.Write(ref _current, null);
        }
    }

    private List<string> Walk(GitfsView view, string saltenv, bool files)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        if (!Allowed(saltenv))
        {
            return [];
        }
        foreach (var remote in view.Remotes)
        {
            if (remote.Repo is null || !remote.Commits.TryGetValue(saltenv, out var id))
            {
                continue;
            }
            Guarded(remote, repo =>
            {
                var commit = repo.Lookup<Commit>(id);
                var tree = commit is null ? null : remote.Remote.Root.Length == 0 ? commit.Tree : commit[remote.Remote.Root]?.Target as Tree;
                if (tree is null)
                {
                    return false;
                }
                if (!files && remote.Remote.Mountpoint.Length > 0)
                {
                    // The mountpoint's own directories exist in salt:// too.
                    var parts = remote.Remote.Mountpoint.Split('/');
                    for (var i = 1; i <= parts.Length; i++)
                    {
                        result.Add(string.Join('/', parts[..i]));
                    }
                }
                Collect(tree, remote.Remote.Mountpoint, files, result);
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

    private T? Guarded<T>(GitfsRemoteView remote, Func<Repository, T?> read)
    {
        try
        {
            return remote.Repo!.Use(read);
        }
        catch (LibGit2SharpException e)
        {
            GitfsLog.ReadFailed(_logger, remote.Remote.Url, e.Message);
            return default;
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
