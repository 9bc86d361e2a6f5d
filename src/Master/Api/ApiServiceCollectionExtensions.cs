using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.Api;

/// <summary>Registers the REST API on the master's host when its configuration has <c>rest_api:</c>.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddRestApi(this IServiceCollection services, MasterOptions options)
    {
        if (options.RestApi is not { } api)
        {
            return services;
        }
        services.AddSingleton(api);
        services.AddSingleton<ApiLifetime>();
        // One budget of password attempts per client address, for /login and for /run's chunk credentials alike.
        services.AddSingleton(sp => new LoginRateLimiter(api.LoginRateLimit, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ApiAuth>();
        services.AddSingleton<LowstateExecutor>();
        services.AddSingleton<IApiEndpoints, LoginEndpoints>();
        services.AddSingleton<IApiEndpoints, LowstateEndpoints>();
        services.AddSingleton<IApiEndpoints, MinionEndpoints>();
        services.AddSingleton<IApiEndpoints, JobEndpoints>();
        services.AddSingleton<IApiEndpoints, KeyEndpoints>();
        services.AddSingleton<IApiEndpoints, EventStreamEndpoints>();
        services.AddSingleton<IApiEndpoints, WebSocketEndpoint>();
        services.AddSingleton<IApiEndpoints, HookEndpoint>();
        services.AddSingleton<IApiEndpoints, WebConsole.ConsoleApiEndpoints>();
        services.AddSingleton<ApiHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiHost>());
        return services;
    }
}
