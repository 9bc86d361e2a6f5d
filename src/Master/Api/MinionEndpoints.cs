using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Jobs;

namespace Orchestrator.Master.Api;

/// <summary>
/// <c>GET /minions[/{id}]</c>: each matching minion's grains, <c>{"return": [{id: grains}]}</c>, from the master's grains
/// cache (what salt-api gets from <c>grains.items</c>, without a job: a down minion is listed with its last grains);
/// <c>POST /minions</c>: a lowstate run as <c>local_async</c>, 202 with links to the jobs.
/// </summary>
public sealed class MinionEndpoints(ApiAuth auth, LowstateExecutor executor, MinionDirectory minions, ILogger<MinionEndpoints> logger) : IApiEndpoints
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/minions", ApiResponder.Handle(context => Task.FromResult(Grains(context, "*")), logger));
        app.MapGet("/minions/{mid}", ApiResponder.Handle(context => Task.FromResult(Grains(context, (string)context.Request.RouteValues["mid"]!)), logger));
        app.MapPost("/minions", ApiResponder.Handle(StartAsync, logger));
    }

    private ApiResult Grains(HttpContext context, string target)
    {
        var caller = auth.CallerOf(auth.Require(context));
        // The same check as salt-api's grains.items job on that target.
        auth.Authorize(caller, new AclRequest(AclClient.Local, "grains.items", [], new Dictionary<string, object?>(), target));
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var id in executor.Expected(target, "glob"))
        {
            result[id] = minions.Grains(id);
        }
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = new List<object?> { result } });
    }

    private async Task<ApiResult> StartAsync(HttpContext context)
    {
        var session = auth.Require(context);
        var body = await ApiBodyReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var chunks = LowChunk.ParseAll(body.Data, "local_async");
        var started = await executor.RunAsync(context, chunks, session, context.RequestAborted).ConfigureAwait(false);
        var links = started.OfType<Dictionary<string, object?>>()
            .Where(job => job.GetValueOrDefault("jid") is string)
            .Select(job => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { ["href"] = $"/jobs/{job["jid"]}" })
            .ToList();
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["return"] = started,
            ["_links"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["jobs"] = links },
        }, 202);
    }
}
