using LibGit2Sharp;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>How a gitfs cache repository's refs name saltenvs: fetched branches under <c>refs/remotes/origin</c>, and tags.</summary>
internal static class GitRefs
{
    private const string Branches = $"refs/remotes/{GitMirror.RemoteName}/";

    /// <summary>The commit of a branch or tag, peeling annotated tags; null when there is none.</summary>
    public static Commit? Lookup(Repository repo, string reference)
    {
        var target = repo.Refs[Branches + reference] ?? repo.Refs[$"refs/tags/{reference}"];
        return target is null ? null : repo.Lookup(target.ResolveToDirectReference().TargetIdentifier)?.Peel<Commit>();
    }

    /// <summary>The branch or tag served as base: the remote's, else master, else main when only main exists.</summary>
    public static string BaseOf(GitfsRemote remote, Repository repo) =>
        remote.Base ?? (repo.Refs[Branches + "master"] is null && repo.Refs[Branches + "main"] is not null ? "main" : "master");

    /// <summary>Every branch and tag name of the cache.</summary>
    public static IEnumerable<string> Names(Repository repo)
    {
        foreach (var r in repo.Refs)
        {
            if (r.CanonicalName.StartsWith(Branches, StringComparison.Ordinal) && !r.CanonicalName.EndsWith("/HEAD", StringComparison.Ordinal))
            {
                yield return r.CanonicalName[Branches.Length..];
            }
            else if (r.CanonicalName.StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                yield return r.CanonicalName["refs/tags/".Length..];
            }
        }
    }
}
