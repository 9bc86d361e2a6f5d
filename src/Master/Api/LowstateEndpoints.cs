using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Api;

/// <summary>
/// rest_cherrypy's root: <c>GET /</c> (the clients on offer), <c>POST /</c> (a lowstate run with the session's token) and
/// <c>POST /run</c> (each chunk brings its own <c>token</c> or <c>username</c>/<c>password</c>/<c>eauth</c>).
/// </summary>
public sealed class LowstateEndpoints(ApiAuth auth, LowstateExecutor executor, ApiLifetime lifetime, ILogger<LowstateEndpoints> logger)
    : IApiEndpoints
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", ApiResponder.Handle(context =>
        {
            auth.Require(context);
            return Task.FromResult(new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["return"] = "Welcome",
                ["clients"] = LowChunk.Clients.Cast<object?>().ToList(),
            }));
        }, logger));
        app.MapPost("/", ApiResponder.Handle(async context =>
        {
            var session = auth.Require(context);
            return await RunAsync(context, session, client: null).ConfigureAwait(false);
        }, logger));
        app.MapPost("/run", ApiResponder.Handle(context => RunAsync(context, session: null, client: null), logger));
    }

    private async Task<ApiResult> RunAsync(HttpContext context, ExternalAuth.EauthToken? session, string? client)
    {
        var body = await ApiBodyReader.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var chunks = LowChunk.ParseAll(body.Data, client);
        // A job waited for (local, runner) ends with the master too, rather than holding its shutdown for the job's timeout.
        using var run = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.Stopping);
        try
        {
            var results = await executor.RunAsync(context, chunks, session, run.Token).ConfigureAwait(false);
            return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = results });
        }
        catch (OperationCanceledException) when (lifetime.Stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            throw new ApiException(503, "The master is shutting down");
        }
    }
}
