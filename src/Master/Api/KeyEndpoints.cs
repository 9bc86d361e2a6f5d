using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Keys;

namespace Orchestrator.Master.Api;

/// <summary>
/// <c>GET /keys</c> (wheel <c>key.list_all</c>: <c>{"return": {local, minions, minions_pre, minions_rejected, minions_denied}}</c>)
/// and <c>GET /keys/{id}</c> (wheel <c>key.finger</c>: <c>{"return": {state: {id: fingerprint}}}</c>); both need
/// <c>@wheel</c> (or <c>@key</c>) in the caller's ACL. An id is a glob over the stored key names, never a path.
/// </summary>
public sealed class KeyEndpoints(ApiAuth auth, KeyManager keys, ILogger<KeyEndpoints> logger) : IApiEndpoints
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/keys", ApiResponder.Handle(context => Task.FromResult(All(context)), logger));
        app.MapGet("/keys/{mid}", ApiResponder.Handle(context => Task.FromResult(One(context, (string)context.Request.RouteValues["mid"]!)), logger));
    }

    private void Authorize(HttpContext context, string function, string? match)
    {
        var caller = auth.CallerOf(auth.Require(context));
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (match is not null)
        {
            kwargs["match"] = match;
        }
        auth.Authorize(caller, new AclRequest(AclClient.Wheel, function, [], kwargs));
    }

    private ApiResult All(HttpContext context)
    {
        Authorize(context, "key.list_all", null);
        var all = new Dictionary<string, object?>(StringComparer.Ordinal) { ["local"] = new List<object?> { "master.pem", "master.pub" } };
        foreach (var (state, ids) in keys.List())
        {
            all[state] = ids;
        }
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = all });
    }

    private ApiResult One(HttpContext context, string match)
    {
        Authorize(context, "key.finger", match);
        var found = keys.Fingerprints(match);
        // salt's key.finger of a minion lists the minion states only; the master's own key is GET /keys' "local".
        found.Remove("local");
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = found });
    }
}
