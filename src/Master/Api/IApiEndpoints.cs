using Microsoft.AspNetCore.Routing;

namespace Orchestrator.Master.Api;

/// <summary>
/// A group of routes on the API host. The host maps every one registered in the master's services, so another part of
/// the master (the web console) adds its routes by registering one, without touching the host.
/// </summary>
public interface IApiEndpoints
{
    void Map(IEndpointRouteBuilder app);
}
