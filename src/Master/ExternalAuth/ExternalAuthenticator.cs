using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>Salt's <c>external_auth</c>: checks a user's credentials with an eauth backend and merges the user's permissions.</summary>
public sealed class ExternalAuthenticator(EauthOptions options, ILogger<ExternalAuthenticator> logger)
{
    /// <summary>Authenticates <paramref name="username"/> with the backend <paramref name="eauth"/>.</summary>
    /// <remarks>Null when the backend is unknown or not configured, or the credentials are wrong; never throws for bad input.</remarks>
    public Task<EauthIdentity?> AuthenticateAsync(string eauth, string username, string password, CancellationToken cancellationToken)
    {
        _ = (options, logger, eauth, username, password, cancellationToken);
        return Task.FromResult<EauthIdentity?>(null);
    }

    /// <summary>Salt's merged permission list for a user of an eauth (user entry, <c>group%</c> entries, <c>'*'</c> entry); empty = no rights.</summary>
    public IReadOnlyList<object?> PermissionsFor(EauthIdentity who) => [];

    /// <summary>The permissions of a token: the kept ones (<c>keep_acl_in_token</c>) or re-read from the current config.</summary>
    public IReadOnlyList<object?> PermissionsOf(EauthToken token) => token.Perms ?? PermissionsFor(new EauthIdentity(token.Name, token.Eauth, token.Groups));
}
