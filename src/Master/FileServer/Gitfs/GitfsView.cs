using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// What every gitfs remote's saltenvs resolved to after one update: a numbered, immutable view. A state run pins the
/// number of the first view it read from (the revision of a file request) and reads every later file from that view, so a
/// run during an update sees one whole tree, never half of two; a new run gets the newest view.
/// </summary>
internal sealed class GitfsView(long revision, IReadOnlyList<GitfsRemoteView> remotes) : IDisposable
{
    public long Revision => revision;

    public IReadOnlyList<GitfsRemoteView> Remotes => remotes;

    /// <summary>Opens each remote's cache and resolves its saltenvs; a remote not fetched yet or unreadable serves nothing.</summary>
    public static GitfsView Build(long revision, GitfsOptions config, Func<GitfsRemote, string> cacheDirOf, ILogger logger)
    {
        var remotes = new List<GitfsRemoteView>(config.Remotes.Count);
        foreach (var remote in config.Remotes)
        {
            remotes.Add(Resolve(remote, cacheDirOf(remote), logger));
        }
        return new GitfsView(revision, remotes);
    }

    private static GitfsRemoteView Resolve(GitfsRemote remote, string dir, ILogger logger)
    {
        var none = new GitfsRemoteView(remote, null, new Dictionary<string, ObjectId>(), new HashSet<string>());
        if (!Repository.IsValid(dir))
        {
            return none;
        }
        Repository? repo = null;
        try
        {
            repo = new Repository(dir);
            var baseRef = GitRefs.BaseOf(remote, repo);
            var commits = new Dictionary<string, ObjectId>(StringComparer.Ordinal);
            foreach (var name in GitRefs.Names(repo))
            {
                // The base branch is only served as base, as in Salt; saltenv mappings below take precedence.
                if (name != baseRef && GitRefs.Lookup(repo, name) is { } commit)
                {
                    commits[name] = commit.Id;
                }
            }
            if (GitRefs.Lookup(repo, baseRef) is { } baseCommit)
            {
                commits["base"] = baseCommit.Id;
            }
            foreach (var (env, reference) in remote.Saltenvs)
            {
                if (GitRefs.Lookup(repo, reference) is { } mapped)
                {
                    commits[env] = mapped.Id;
                }
                else
                {
                    commits.Remove(env);
                }
            }
            var envs = new HashSet<string>(commits.Keys.Concat(remote.Saltenvs.Keys), StringComparer.Ordinal);
            return new GitfsRemoteView(remote, new GitRepoHandle(repo), commits, envs);
        }
        catch (LibGit2SharpException e)
        {
            repo?.Dispose();
            GitfsLog.ReadFailed(logger, remote.Url, e.Message);
            return none;
        }
    }

    public void Dispose()
    {
        foreach (var remote in remotes)
        {
            remote.Repo?.Dispose();
        }
    }
}
