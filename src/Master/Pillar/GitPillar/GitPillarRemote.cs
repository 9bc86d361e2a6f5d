namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>
/// One git_pillar remote: the branch of a repository compiled as a pillar tree (its <c>top.sls</c> under <see cref="Root"/>)
/// for the pillar environment <see cref="Env"/>. <see cref="Id"/> is Salt's "branch url" name of it.
/// A branch of <c>__env__</c> follows the pillarenv asked for (the base branch when none).
/// </summary>
public sealed record GitPillarRemote(string Id, string Url, string Branch, string Env, string Root)
{
    /// <summary>How the remote is fetched: https user/password, ssh key, TLS verification.</summary>
    public FileServer.Gitfs.GitCredentials Credentials { get; init; } = FileServer.Gitfs.GitCredentials.None;
}
