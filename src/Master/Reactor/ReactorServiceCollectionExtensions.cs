using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Master.Reactor;

/// <summary>Registers the reactor's parts on the master's host.</summary>
public static class ReactorServiceCollectionExtensions
{
    public static IServiceCollection AddReactor(this IServiceCollection services)
    {
        services.AddSingleton<ReactionRenderer>();
        services.AddSingleton<ReactorWheel>();
        services.AddSingleton<ReactorCaller>();
        services.AddSingleton<IReactionExecutor, ReactionExecutor>();
        services.AddSingleton<ReactorEngine>();
        return services;
    }
}
