using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>Salt's <c>external_auth</c>: checks a user's credentials with an eauth backend and merges the user's permissions.</summary>
public sealed class ExternalAuthenticator(EauthOptions options, ILogger<ExternalAuthenticator> logger)
{
    private const int MaxCredentialLength = 4096;

    /// <summary>Authenticates <paramref name="username"/> with the backend <paramref name="eauth"/>.</summary>
    /// <remarks>
    /// Null when the backend is unknown or not configured, or the credentials are wrong; never throws for bad input.
    /// An empty password is always refused. Every refusal is logged with the user and the reason, never the password.
    /// </remarks>
    public async Task<EauthIdentity?> AuthenticateAsync(string eauth, string username, string password, CancellationToken cancellationToken)
    {
        eauth ??= "";
        username ??= "";
        password ??= "";
        var shown = Printable(username);
        if (!options.ExternalAuth.ContainsKey(eauth))
        {
            EauthLog.Refused(logger, Printable(eauth), shown, $"eauth '{Printable(eauth)}' is not configured in external_auth");
            return null;
        }
        if (username.Length is 0 or > 256 || username.Any(char.IsControl) || username.Contains(':', StringComparison.Ordinal))
        {
            EauthLog.Refused(logger, eauth, shown, "invalid user name");
            return null;
        }
        if (password.Length is 0 or > MaxCredentialLength || password.Contains('\0', StringComparison.Ordinal))
        {
            EauthLog.Refused(logger, eauth, shown, password.Length == 0 ? "empty password" : "invalid password");
            return null;
        }
        try
        {
            var (ok, detail, groups) = eauth switch
            {
                "pam" => await Task.Run(() => Pam(username, password), cancellationToken).ConfigureAwait(false),
                "file" => File(username, password),
                _ => (false, "no such backend", (IReadOnlyList<string>)[]),
            };
            if (!ok)
            {
                EauthLog.Refused(logger, eauth, shown, detail);
                return null;
            }
            EauthLog.Authenticated(logger, eauth, shown);
            return new EauthIdentity(username, eauth, groups);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            EauthLog.BackendFailed(logger, e, eauth, shown);
            return null;
        }
    }

    /// <summary>Salt's merged permission list for a user of an eauth (user entry, <c>group%</c> entries, <c>'*'</c> entry); empty = no rights.</summary>
    public IReadOnlyList<object?> PermissionsFor(EauthIdentity who) =>
        options.ExternalAuth.TryGetValue(who.Eauth, out var section) ? PermissionList.For(section, who.Name, who.Groups) : [];

    /// <summary>The permissions of a token: the kept ones (<c>keep_acl_in_token</c>) or re-read from the current config.</summary>
    public IReadOnlyList<object?> PermissionsOf(EauthToken token) =>
        options.KeepAclInToken && token.Perms is not null
            ? token.Perms
            : PermissionsFor(new EauthIdentity(token.Name, token.Eauth, token.Groups));

    private (bool, string, IReadOnlyList<string>) Pam(string username, string password)
    {
        var outcome = PamAuthenticator.Authenticate(options.PamService, username, password);
        return outcome.Success ? (true, "", SystemUsers.GroupsOf(username)) : (false, outcome.Detail, []);
    }

    private (bool, string, IReadOnlyList<string>) File(string username, string password)
    {
        if (options.File is null)
        {
            return (false, "external_auth:file has no ^filename", []);
        }
        var outcome = FileAuthenticator.Authenticate(options.File, username, password);
        // Salt's file eauth has no groups: group% entries never apply to its users.
        return (outcome.Success, outcome.Detail, []);
    }

    /// <summary>A user name (or eauth name) as it may appear in a log line: control characters replaced, length bounded.</summary>
    public static string Printable(string text) =>
        new string(text.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray()) + (text.Length > 64 ? "…" : "");
}
