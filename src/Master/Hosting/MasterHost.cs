using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Api;
using Orchestrator.Master.Auth;
using Orchestrator.Master.Events;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Ipc;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Mine;
using Orchestrator.Master.Pillar;
using Orchestrator.Master.Reactor;
using Orchestrator.Master.Orchestration;
using Orchestrator.Master.Runners;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Hosting;

/// <summary>Builds the master's Generic Host: the same composition for the daemon and for in-process test clusters.</summary>
public static class MasterHost
{
    public static IHost Build(MasterOptions options, Action<ILoggingBuilder> configureLogging, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var services = builder.Services;
        // Keys and job data (returns carry pillar-derived secrets) are the master user's alone.
        PrivateFiles.EnsureDirectory(options.PkiDir);
        PrivateFiles.EnsureDirectory(options.CacheDir);
        services.AddSingleton(options);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(_ => RsaKeyPair.LoadOrCreate(
            Path.Combine(options.PkiDir, "master.pem"), Path.Combine(options.PkiDir, "master.pub")));
        services.AddSingleton(_ => new KeyStore(options.PkiDir));
        services.AddSingleton<IJobCache>(_ => new SqliteJobCache(Path.Combine(options.CacheDir, "jobs.sqlite")));
        services.AddSingleton<MinionDirectory>();
        services.AddSingleton<ReturnWriter>();
        services.AddSingleton<SessionKeyring>();
        services.AddSingleton<SessionTable>();
        services.AddSingleton<MasterMetrics>();
        services.AddSingleton<EventBus>();
        services.AddSingleton<PresenceWatcher>();
        services.AddSingleton<MasterTransport>();
        services.AddSingleton<JobDispatcher>();
        services.AddSingleton<JobReturnCollector>();
        services.AddSingleton<FileServer.Gitfs.GitfsBackend>();
        services.AddSingleton(sp => new FileServer.FileServer(options, sp.GetRequiredService<FileServer.Gitfs.GitfsBackend>()));
        services.AddHostedService<FileServer.Gitfs.GitfsUpdateService>();
        services.AddSingleton<Pillar.GitPillar.GitPillarBackend>();
        services.AddHostedService<Pillar.GitPillar.GitPillarUpdateService>();
        services.AddSingleton<PillarCompiler>();
        services.AddSingleton(sp => new MineStore(options.CacheDir, options.Mine.MaxSize, sp.GetRequiredService<ILogger<MineStore>>()));
        services.AddSingleton(sp => new MineQuery(
            sp.GetRequiredService<MineStore>(), options.Mine, sp.GetRequiredService<JobDispatcher>().ExpectedMinions,
            sp.GetRequiredService<ILogger<MineQuery>>()));
        services.AddSingleton<MineHandler>();
        services.AddSingleton<RequestProcessor>();
        services.AddSingleton<KeyManager>();
        services.AddSingleton<RunnerRegistry>();
        services.AddSingleton<RunnerContext>();
        services.AddSingleton<RunnerInvoker>();
        services.AddOrchestration();
        services.AddSingleton<Cloud.CloudManager>();
        services.AddExternalAuth();
        services.AddSingleton<IpcServer>();
        services.AddReactor();
        services.AddHostedService<MasterService>();
        services.AddSingleton<Scheduling.MasterScheduleService>();
        services.AddHostedService(sp => sp.GetRequiredService<Scheduling.MasterScheduleService>());
        // Last: started once the master serves, stopped first.
        services.AddRestApi(options);
        return builder.Build();
    }
}
