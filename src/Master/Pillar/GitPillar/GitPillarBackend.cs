using System.Text;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>
/// Salt's git_pillar: each <c>ext_pillar: - git:</c> remote is fetched into a bare cache under <c>cachedir/git_pillar</c>
/// (the fetch code gitfs uses), and its branch's commit is read as a pillar tree. A remote whose fetch fails keeps serving
/// the commit it last fetched.
/// </summary>
public sealed class GitPillarBackend(MasterOptions options, ILogger<GitPillarBackend>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly GitMirror _mirror = new(Path.Combine(options.CacheDir, "git_pillar"), "git_pillar", (ILogger?)logger ?? NullLogger.Instance);
    private readonly SemaphoreSlim _updating = new(1, 1);

    public IReadOnlyList<GitPillarRemote> Remotes => options.GitPillar.Remotes;

    public string CacheRoot => _mirror.CacheRoot;

    /// <summary>Fetches every remote (a URL used by several remotes once); one failing remote does not stop the others.</summary>
    public async Task<IReadOnlyList<GitfsUpdateResult>> UpdateAsync(CancellationToken cancellationToken)
    {
        await _updating.WaitAsync(cancellationToken);
        try
        {
            var results = new List<GitfsUpdateResult>();
            var fetched = new Dictionary<string, GitfsUpdateResult>(StringComparer.Ordinal);
            foreach (var remote in Remotes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!fetched.TryGetValue(remote.Url, out var result))
                {
                    result = await Task.Run(() => _mirror.Fetch(remote.Id, remote.Url, remote.Credentials), cancellationToken);
                    fetched[remote.Url] = result;
                }
                results.Add(result with { Remote = remote.Id });
            }
            return results;
        }
        finally
        {
            _updating.Release();
        }
    }

    /// <summary>Removes the update locks of the remotes whose URL contains <paramref name="remoteFilter"/> (all when null).</summary>
    public (List<string> Cleared, List<string> Errors) ClearLocks(string? remoteFilter)
    {
        var cleared = new List<string>();
        var errors = new List<string>();
        foreach (var remote in Remotes.Where(r => GitMirror.Chosen(r.Url, remoteFilter))
            .DistinctBy(r => r.Url))
        {
            var (c, e) = _mirror.ClearLock(remote.Id, remote.Url);
            cleared.AddRange(c);
            errors.AddRange(e);
        }
        return (cleared, errors);
    }

    /// <summary>
    /// The pillar tree of a remote for a compile in <paramref name="pillarenv"/> (null: all), or null when the remote has
    /// nothing for it: not fetched yet, no such branch, or another environment.
    /// </summary>
    public GitCommitTree? TreeOf(GitPillarRemote remote, string? pillarenv)
    {
        var (branch, env) = remote.Branch == GitPillarOptions.EnvBranch
            ? pillarenv is null or "base" ? (options.GitPillar.Base, "base") : (pillarenv, pillarenv)
            : (remote.Branch, remote.Env);
        if (pillarenv is not null && pillarenv != env)
        {
            return null;
        }
        var dir = _mirror.CacheDirOf(remote.Url);
        if (!Repository.IsValid(dir))
        {
            return null;
        }
        try
        {
            using var repo = new Repository(dir);
            var commit = GitRefs.Lookup(repo, branch);
            var tree = commit is null ? null : remote.Root.Length == 0 ? commit.Tree : commit[remote.Root]?.Target as Tree;
            if (tree is null)
            {
                GitPillarLog.NoCommit(_logger, remote.Id, branch);
                return null;
            }
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            Collect(tree, "", files);
            return new GitCommitTree(env, $"{remote.Id}@{commit!.Sha[..12]}", files);
        }
        catch (LibGit2SharpException e)
        {
            GitPillarLog.ReadFailed(_logger, remote.Id, e.Message);
            return null;
        }
    }

    private static void Collect(Tree tree, string prefix, Dictionary<string, string> into)
    {
        foreach (var entry in tree)
        {
            var path = prefix.Length == 0 ? entry.Name : prefix + "/" + entry.Name;
            switch (entry.Target)
            {
                case Tree sub:
                    Collect(sub, path, into);
                    break;
                case Blob blob:
                    using (var reader = new StreamReader(blob.GetContentStream(), Encoding.UTF8))
                    {
                        into[path] = reader.ReadToEnd();
                    }
                    break;
            }
        }
    }
}
