using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;

namespace Orchestrator.Master.Api;

/// <summary>
/// <c>POST /hook/{tag}</c>: fires <c>salt/netapi/hook/{tag}</c> on the bus with <c>{body, post, headers}</c> (the raw body,
/// its parsed data and the request headers), as rest_cherrypy's Webhook does, for reactors to act on. Only with
/// <c>webhooks: true</c> (else 404), and with a token unless <c>webhook_disable_auth: true</c>. The token and cookies are
/// left out of the event: reactors and event streams would show them to anyone who can read events.
/// </summary>
public sealed class HookEndpoint(ApiOptions options, ApiAuth auth, EventBus events, ILogger<HookEndpoint> logger) : IApiEndpoints
{
    public const string TagBase = "salt/netapi/hook";

    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { ApiAuth.TokenHeader, "Cookie", "Authorization" };

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/hook", ApiResponder.Handle(context => FireAsync(context, ""), logger));
        app.MapPost("/hook/{**tag}", ApiResponder.Handle(context => FireAsync(context, context.Request.RouteValues["tag"] as string ?? ""), logger));
    }

    private async Task<ApiResult> FireAsync(HttpContext context, string path)
    {
        if (!options.Webhooks)
        {
            throw ApiException.NotFound("Not Found: webhooks are off (rest_api: webhooks: true turns them on)");
        }
        if (!options.WebhookDisableAuth)
        {
            auth.Require(context);
        }
        var tag = TagOf(path);
        var body = await ApiBodyReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in context.Request.Headers.Where(h => !Hidden.Contains(h.Key)))
        {
            headers[name] = value.ToString();
        }
        headers["Remote-Addr"] = ApiAuth.ClientOf(context);
        events.Publish(tag, new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["body"] = body.Raw,
            ["post"] = body.Data ?? new Dictionary<string, object?>(StringComparer.Ordinal),
            ["headers"] = headers,
        });
        ApiLog.HookFired(logger, tag, ApiAuth.ClientOf(context));
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["success"] = true });
    }

    /// <summary>The event tag of a hook path; a path with control characters or over 400 characters is refused.</summary>
    public static string TagOf(string path)
    {
        var trimmed = path.Trim('/');
        if (trimmed.Length > 400 || trimmed.Any(char.IsControl))
        {
            throw ApiException.BadRequest("A hook path must be printable and at most 400 characters");
        }
        return trimmed.Length == 0 ? TagBase : $"{TagBase}/{trimmed}";
    }
}
