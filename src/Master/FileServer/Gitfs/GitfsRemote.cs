namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// One entry of <c>gitfs_remotes</c> with its per-remote options resolved against the global <c>gitfs_*</c> ones.
/// <see cref="Base"/> is null when neither the remote nor <c>gitfs_base</c> names it: then <c>master</c>, or <c>main</c>
/// when the repository has no <c>master</c> branch.
/// </summary>
public sealed record GitfsRemote(string Url, string Name, string Root, string Mountpoint, string? Base, IReadOnlyDictionary<string, string> Saltenvs)
{
    /// <summary>How the remote is fetched: https user/password, ssh key, TLS verification.</summary>
    public GitCredentials Credentials { get; init; } = GitCredentials.None;

    /// <summary>A remote with only a URL, for code and tests.</summary>
    public GitfsRemote(string url) : this(url, url, "", "", null, new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }
}
