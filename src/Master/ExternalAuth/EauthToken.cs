namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// A login token as Salt's token stores keep it: the token text, who it is for, start and expiry (Unix seconds) and the
/// user's groups.
/// </summary>
/// <remarks><see cref="Perms"/> is kept only with <c>keep_acl_in_token</c>; otherwise it is null and the ACL is read from the current config.</remarks>
public sealed record EauthToken(string Token, string Name, string Eauth, double Start, double Expire,
    IReadOnlyList<string> Groups, IReadOnlyList<object?>? Perms);
