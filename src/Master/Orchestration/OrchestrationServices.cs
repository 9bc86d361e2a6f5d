using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Master.Orchestration;

public static class OrchestrationServices
{
    /// <summary>The master minion and the backend of its <c>salt.*</c> states.</summary>
    public static IServiceCollection AddOrchestration(this IServiceCollection services) => services
        .AddSingleton<OrchestrationBackend>()
        .AddSingleton<MasterMinion>();
}
