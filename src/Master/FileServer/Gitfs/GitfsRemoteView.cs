using LibGit2Sharp;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// One remote as a <see cref="GitfsView"/> saw it: its open cache (null before the first fetch) and the commit each of its
/// saltenvs resolved to then. <see cref="Envs"/> also holds mapped saltenvs whose ref is missing (Salt lists them).
/// </summary>
internal sealed record GitfsRemoteView(GitfsRemote Remote, GitRepoHandle? Repo, IReadOnlyDictionary<string, ObjectId> Commits, IReadOnlySet<string> Envs);
