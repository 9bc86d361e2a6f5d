using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>Registers external auth, the token store and the ACL checker on the master's host.</summary>
public static class ExternalAuthServiceCollectionExtensions
{
    public static IServiceCollection AddExternalAuth(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<MasterOptions>().Eauth);
        services.AddSingleton<ExternalAuthenticator>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton(sp => new AclChecker(sp.GetRequiredService<JobDispatcher>().ExpectedMinions));
        services.AddSingleton<IpcAuthorizer>();
        return services;
    }
}
