using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Api;

/// <summary>
/// <c>POST /login</c> (username, password, eauth → a token with its start, expiry and the user's permissions, also sent as
/// the <c>X-Auth-Token</c> header and a <c>session_id</c> cookie), <c>GET /login</c> and <c>POST /logout</c>, as rest_cherrypy.
/// </summary>
public sealed class LoginEndpoints(
    ApiAuth auth, ExternalAuthenticator eauth, TokenStore tokens, ILogger<LoginEndpoints> logger) : IApiEndpoints
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", ApiResponder.Handle(context =>
        {
            context.Response.Headers.WWWAuthenticate = "Session";
            return Task.FromResult(new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["status"] = 200L,
                ["return"] = "Please log in",
            }));
        }, logger));
        app.MapPost("/login", ApiResponder.Handle(LoginAsync, logger));
        app.MapPost("/logout", ApiResponder.Handle(context => Task.FromResult(Logout(context)), logger));
    }

    private async Task<ApiResult> LoginAsync(HttpContext context)
    {
        var client = ApiAuth.ClientOf(context);
        auth.ThrottlePasswordAttempt(context);
        var body = await ApiBodyReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var creds = body.Data switch
        {
            Dictionary<string, object?> one => one,
            List<object?> { Count: > 0 } list when list[0] is Dictionary<string, object?> first => first,
            _ => throw ApiException.BadRequest("Send username, password and eauth (JSON, YAML or form fields)"),
        };
        string? Field(string key) => creds.GetValueOrDefault(key) is { } value and not (Dictionary<string, object?> or List<object?>)
            ? DataTree.KeyToString(value)
            : null;
        var (user, password, backend) = (Field("username"), Field("password"), Field("eauth"));
        if (string.IsNullOrEmpty(user) || password is null || string.IsNullOrEmpty(backend))
        {
            throw ApiException.BadRequest("username, password and eauth are required");
        }
        var who = await eauth.AuthenticateAsync(backend, user, password, context.RequestAborted).ConfigureAwait(false);
        if (who is null)
        {
            ApiLog.LoginRefused(logger, ExternalAuthenticator.Printable(user), ExternalAuthenticator.Printable(backend), client);
            throw ApiException.Unauthorized("Could not authenticate using provided credentials");
        }
        var perms = eauth.PermissionsFor(who);
        var token = tokens.Create(who, perms);
        ApiLog.LoggedIn(logger, who.Name, who.Eauth, client);
        context.Response.Headers[ApiAuth.TokenHeader] = token.Token;
        context.Response.Cookies.Append(ApiAuth.SessionCookie, token.Token, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            // The cookie is how salt-api's curl examples (-c/-b) stay logged in; Strict keeps other sites from riding on it.
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = DateTimeOffset.FromUnixTimeMilliseconds((long)(token.Expire * 1000)),
        });
        var sorted = SortedPermissions(perms);
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["return"] = new List<object?>
            {
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["token"] = token.Token,
                    ["expire"] = token.Expire,
                    ["start"] = token.Start,
                    ["user"] = token.Name,
                    ["eauth"] = token.Eauth,
                    // salt-api answers an empty permission list as {}.
                    ["perms"] = sorted.Count > 0 ? sorted : new Dictionary<string, object?>(StringComparer.Ordinal),
                },
            },
        });
    }

    private ApiResult Logout(HttpContext context)
    {
        var token = auth.Require(context);
        tokens.Remove(token.Token);
        context.Response.Cookies.Delete(ApiAuth.SessionCookie, new CookieOptions { Path = "/" });
        ApiLog.LoggedOut(logger, token.Name);
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = "Your token has been cleared" });
    }

    /// <summary>salt.netapi's <c>sorted_permissions</c>: the text entries sorted, then the others, each once.</summary>
    public static List<object?> SortedPermissions(IReadOnlyList<object?> perms)
    {
        var texts = perms.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Cast<object?>();
        var others = perms.Where(p => p is not string)
            .GroupBy(p => DataTree.ToJson(p, indent: false), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.First());
        return [.. texts, .. others];
    }
}
