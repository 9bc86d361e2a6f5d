using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Events;
using Orchestrator.Minion.Jobs;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Minion.Scheduling;
using Orchestrator.Minion.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Security;

namespace Orchestrator.Minion.Hosting;

/// <summary>Builds the minion's Generic Host: the same composition for the daemon and for in-process test clusters.</summary>
public static class MinionHost
{
    public static IHost Build(MinionOptions options, Action<ILoggingBuilder> configureLogging, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        // Keys, the return outbox and cached pillar-rendered files are the minion user's alone.
        PrivateFiles.EnsureDirectory(options.PkiDir);
        PrivateFiles.EnsureDirectory(options.CacheDir);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(_ => RsaKeyPair.LoadOrCreate(
            Path.Combine(options.PkiDir, "minion.pem"), Path.Combine(options.PkiDir, "minion.pub")));
        services.AddSingleton<MasterConnection>();
        services.AddSingleton<ReturnOutbox>(sp => new ReturnOutbox(options.CacheDir, sp.GetRequiredService<ILogger<ReturnOutbox>>()));
        services.AddSingleton(sp => new ExecutionModuleRegistry().AddBuiltinModules(
            new Modules.Providers.ModuleProviders { LoggerFactory = sp.GetRequiredService<ILoggerFactory>() }));
        services.AddSingleton<JobRunner>();
        services.AddSingleton(sp => new MinionEventBus(
            sp.GetRequiredService<MasterConnection>(), options.RequestTimeout, sp.GetRequiredService<ILogger<MinionEventBus>>()));
        services.AddSingleton(_ => new BeaconRegistry().AddBuiltinBeacons());
        services.AddSingleton<BeaconManager>();
        services.AddSingleton<ScheduleManager>();
        services.AddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<MasterConnection>();
            return new ModuleContext
            {
                MinionId = options.Id,
                Grains = CollectGrains(options, sp),
                GrainsSource = ct => CollectGrainsAsync(options, sp, ct),
                Opts = options.Raw,
                Modules = sp.GetRequiredService<ExecutionModuleRegistry>(),
                CacheDir = options.CacheDir,
                Files = new RemoteFileClient(connection, options.CacheDir, options.RequestTimeout),
                PillarSource = new RemotePillarSource(connection, options.RequestTimeout),
                Jobs = sp.GetRequiredService<JobRunner>(),
                Events = sp.GetRequiredService<MinionEventBus>(),
                Beacons = sp.GetRequiredService<BeaconManager>(),
                Schedule = sp.GetRequiredService<ScheduleManager>(),
                Time = sp.GetRequiredService<TimeProvider>(),
            };
        });
        services.AddHostedService<MinionService>();
        // After MinionService, which sets the jobs' Ready task the beacons wait on; stopped before it.
        services.AddHostedService<BeaconService>();
        services.AddSingleton<Mine.MineService>();
        services.AddHostedService(sp => sp.GetRequiredService<Mine.MineService>());
        services.AddHostedService<ScheduleService>();
        services.AddHostedService<MemoryTrimService>();
        return builder.Build();
    }

    /// <summary>Runs every grain provider once at start-up; config grains are merged last, as Salt does.</summary>
    public static Dictionary<string, object?> CollectGrains(MinionOptions options, IServiceProvider services) =>
        CollectGrainsAsync(options, services, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Runs every grain provider; start-up and <c>saltutil.refresh_grains</c> both collect this way.</summary>
    public static async Task<Dictionary<string, object?>> CollectGrainsAsync(MinionOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        var collector = new GrainsCollector(services.GetRequiredService<ILogger<GrainsCollector>>()).AddBuiltinGrains();
        var context = new GrainContext { MinionId = options.Id, CacheDir = options.CacheDir, Opts = options.Raw };
        return (await collector.CollectAsync(context, options.Grains, cancellationToken).ConfigureAwait(false)).Grains;
    }
}
