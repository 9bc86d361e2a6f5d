using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.ExternalAuth;

namespace Orchestrator.Master.Api;

/// <summary>
/// The API's side of external auth: finds the caller's token (the <c>X-Auth-Token</c> header, the <c>session_id</c> cookie, or
/// <c>?token=</c> where salt-api takes one), authenticates a chunk's own credentials, and asks the ACL. Refusals are 401
/// (who are you?) and 403 (not allowed), each logged with the user, target and function, never with a password or token.
/// </summary>
public sealed class ApiAuth(
    ExternalAuthenticator eauth, TokenStore tokens, AclChecker acl, EauthOptions eauthOptions, LoginRateLimiter passwordAttempts,
    ApiOptions options, TimeProvider time, ILogger<ApiAuth> logger)
{
    public const string TokenHeader = "X-Auth-Token";
    public const string SessionCookie = "session_id";

    /// <summary>The token a request presents, if any: header first (it wins over the cookie, as in salt-api), then cookie, then query.</summary>
    public static string? TokenOf(HttpContext context, bool allowQuery)
    {
        if (context.Request.Headers[TokenHeader].FirstOrDefault() is { Length: > 0 } header)
        {
            return header;
        }
        if (context.Request.Cookies[SessionCookie] is { Length: > 0 } cookie)
        {
            return cookie;
        }
        return allowQuery && context.Request.Query["token"].FirstOrDefault() is { Length: > 0 } query ? query : null;
    }

    /// <summary>The valid token of a request, or 401.</summary>
    public EauthToken Require(HttpContext context, bool allowQuery = false) => Require(context, TokenOf(context, allowQuery));

    /// <summary>The token <paramref name="presented"/> if it is valid, or 401 (logged without the token).</summary>
    public EauthToken Require(HttpContext context, string? presented)
    {
        if (presented is null)
        {
            Refuse(context, "no token");
            throw ApiException.Unauthorized();
        }
        if (Find(presented) is not { } token)
        {
            Refuse(context, "invalid or expired token");
            throw ApiException.Unauthorized("Invalid token");
        }
        return token;
    }

    /// <summary>A token that exists and has not expired; null for anything else (malformed included).</summary>
    public EauthToken? Find(string presented) =>
        IsWellFormed(presented) && tokens.Find(presented) is { } token && token.Expire > Now() ? token : null;

    /// <summary>Salt's tokens are hex; anything else is refused before the token store sees it.</summary>
    public static bool IsWellFormed(string token) => token.Length is > 0 and <= 256 && token.All(char.IsAsciiHexDigit);

    public ApiCaller CallerOf(EauthToken token) => new(token.Name, token.Eauth, eauth.PermissionsOf(token));

    /// <summary>
    /// Who a chunk runs as: the session's token when the request has one (it wins, as in salt-api), else the chunk's own
    /// <c>token</c>, else its <c>username</c>/<c>password</c>/<c>eauth</c>; 401 when none is valid.
    /// </summary>
    public async Task<ApiCaller> CallerOfAsync(HttpContext context, LowChunk chunk, EauthToken? session, CancellationToken cancellationToken)
    {
        if (session is not null)
        {
            return CallerOf(session);
        }
        if (chunk.Token is { } presented)
        {
            return CallerOf(Require(context, presented));
        }
        if (chunk.Eauth is { } backend && chunk.Username is { } user && chunk.Password is { } password)
        {
            // A password in a chunk is a login: it spends the same budget, or /run would be a way round the limit.
            ThrottlePasswordAttempt(context);
            var who = await eauth.AuthenticateAsync(backend, user, password, cancellationToken).ConfigureAwait(false);
            if (who is null)
            {
                ApiLog.LoginRefused(logger, ExternalAuthenticator.Printable(user), ExternalAuthenticator.Printable(backend), ClientOf(context));
                throw ApiException.Unauthorized($"Authentication failure of type \"eauth\" occurred for user {user}.");
            }
            return new ApiCaller(who.Name, who.Eauth, eauth.PermissionsFor(who));
        }
        Refuse(context, "no credentials in the chunk");
        throw ApiException.Unauthorized("No authentication credentials given");
    }

    /// <summary>Counts one password attempt of the request's client address; 429 (with Retry-After) past the limit.</summary>
    public void ThrottlePasswordAttempt(HttpContext context)
    {
        var client = ClientOf(context);
        if (!passwordAttempts.TryAcquire(client, out var retryAfter))
        {
            ApiLog.LoginRateLimited(logger, client, options.LoginRateLimit);
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new ApiException(429, $"Too many login attempts: at most {options.LoginRateLimit} a minute; try again in {retryAfter} s");
        }
    }

    /// <summary>Checks the ACL (the decision says which minions a publish may reach); a denial is logged (user, client, function, target) and answered 403.</summary>
    public AclDecision Authorize(ApiCaller caller, AclRequest request)
    {
        var decision = acl.Check(caller.Perms, request);
        // publisher_acl_blacklist holds for publishes from the API as from the CLI, as in Salt.
        if (decision.Allowed && request.Client == AclClient.Local && eauthOptions.Blacklisted(caller.User, request.Function) is { } blacklisted)
        {
            decision = new AclDecision(false, blacklisted);
        }
        if (!decision.Allowed)
        {
            ApiLog.AclDenied(logger, caller.User, request.Client.ToString().ToLowerInvariant(), request.Function, request.Target, request.TargetType, decision.Reason);
            throw ApiException.Forbidden($"Authorization error occurred: {caller.User} may not run {Describe(request)}");
        }
        return decision;
    }

    /// <summary>The request's path as it may be logged: the token of <c>/ws/&lt;token&gt;</c> is left out.</summary>
    public static string PathOf(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        return path.StartsWith("/ws/", StringComparison.Ordinal) ? "/ws/<token>" : path;
    }

    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Describe(AclRequest request) => request.Client switch
    {
        AclClient.Local => $"{request.Function} on '{request.Target}'",
        AclClient.Runner => $"runner {request.Function}",
        AclClient.Wheel => $"wheel {request.Function}",
        _ => $"jobs {request.Function}",
    };

    private void Refuse(HttpContext context, string reason) =>
        ApiLog.Unauthenticated(logger, context.Request.Method, PathOf(context), ClientOf(context), reason);

    private double Now() => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}
