using Microsoft.AspNetCore.Routing;
using Orchestrator.Master.Api;

namespace Orchestrator.Master.WebConsole;

/// <summary>The web console as one of the API host's route groups: <c>/ui</c> is served wherever the REST API is.</summary>
public sealed class ConsoleApiEndpoints : IApiEndpoints
{
    public void Map(IEndpointRouteBuilder app) => app.MapConsole();
}
