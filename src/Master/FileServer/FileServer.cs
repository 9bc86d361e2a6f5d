using System.Security.Cryptography;
using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.States;

namespace Orchestrator.Master.FileServer;

/// <summary>
/// Serves <c>salt://</c> files from the backends of <c>fileserver_backend</c> in order (<c>roots</c>: <c>file_roots</c>;
/// <c>gitfs</c>: git remotes); the first backend that has a path wins, as in Salt. A path that would leave a root is refused.
/// </summary>
public sealed class FileServer(MasterOptions options, GitfsBackend gitfs)
{
    /// <summary>A file server without a shared gitfs cache object (tests and tools that only use roots).</summary>
    public FileServer(MasterOptions options) : this(options, new GitfsBackend(options))
    {
    }

    // Read per call: the options object is the live configuration.
    private FileRoots Roots => new(options.FileRoots);

    private IEnumerable<string> Backends => options.Gitfs.Backends.Count == 0 ? ["roots"] : options.Gitfs.Backends;

    public (byte[] Contents, string Sha256)? Read(string saltenv, string relativePath) => Read(saltenv, relativePath, 0).File;

    /// <summary>
    /// The revision a reader pinned to <paramref name="revision"/> reads at: the gitfs view it names while that is kept,
    /// else the newest (0 when gitfs is not in use: roots are the live directories).
    /// </summary>
    public long Pin(long revision) => options.Gitfs.Enabled ? gitfs.Pin(revision) : 0;

    /// <summary>A file as the reader pinned to <paramref name="revision"/> sees it, and the revision it was read at.</summary>
    public ((byte[] Contents, string Sha256)? File, long Revision) Read(string saltenv, string relativePath, long revision)
    {
        var pinned = Pin(revision);
        return (ReadAt(saltenv, relativePath, pinned), pinned);
    }

    private (byte[] Contents, string Sha256)? ReadAt(string saltenv, string relativePath, long revision)
    {
        foreach (var backend in Backends)
        {
            byte[]? bytes;
            if (GitfsOptions.IsGitfs(backend))
            {
                var (env, path) = SplitQuery(saltenv, relativePath);
                bytes = gitfs.Read(env, path, revision).Contents;
            }
            else
            {
                bytes = Roots.Resolve(saltenv, relativePath) is { } full ? File.ReadAllBytes(full) : null;
            }
            if (bytes is not null)
            {
                return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }
        }
        return null;
    }

    public IReadOnlyList<string> List(string saltenv) => List(saltenv, 0).Files;

    /// <summary>Every file of a saltenv as the reader pinned to <paramref name="revision"/> sees it, and the revision.</summary>
    public (IReadOnlyList<string> Files, long Revision) List(string saltenv, long revision)
    {
        var pinned = Pin(revision);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var backend in Backends)
        {
            files.UnionWith(GitfsOptions.IsGitfs(backend) ? gitfs.List(saltenv, pinned).Files : Roots.List(saltenv));
        }
        return ([.. files], pinned);
    }

    /// <summary>Every directory of a saltenv across the backends, sorted.</summary>
    public IReadOnlyList<string> DirList(string saltenv)
    {
        var dirs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var backend in Backends)
        {
            dirs.UnionWith(GitfsOptions.IsGitfs(backend) ? gitfs.DirList(saltenv) : RootDirs(saltenv));
        }
        return [.. dirs];
    }

    /// <summary>The saltenvs the backends serve, sorted.</summary>
    public IReadOnlyList<string> Envs()
    {
        var envs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var backend in Backends)
        {
            envs.UnionWith(GitfsOptions.IsGitfs(backend) ? gitfs.Envs() : options.FileRoots.Keys);
        }
        return [.. envs];
    }

    private IEnumerable<string> RootDirs(string saltenv) =>
        Roots.List(saltenv).SelectMany(file =>
        {
            var parts = file.Split('/');
            return Enumerable.Range(1, parts.Length - 1).Select(i => string.Join('/', parts[..i]));
        });

    // salt://path?saltenv=env names its own saltenv, as FileRoots.Resolve reads it.
    private static (string Saltenv, string Path) SplitQuery(string saltenv, string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return (saltenv, path);
        }
        var env = path[(query + 1)..].Split('&').FirstOrDefault(p => p.StartsWith("saltenv=", StringComparison.Ordinal));
        return (env is null ? saltenv : env["saltenv=".Length..], path[..query]);
    }
}
