using Microsoft.Extensions.Logging;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Minion.Modules.States;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Modules;

/// <summary>THE list of built-in execution modules and grain providers. Add new built-ins here, in sorted order.</summary>
/// <remarks>
/// The daemon builds its registry with <c>new ExecutionModuleRegistry().AddBuiltinModules(providers)</c> and its grains with
/// <c>new GrainsCollector(logger).AddBuiltinGrains().CollectAsync(...)</c>. Tests pass <see cref="ModuleProviders"/> with fakes.
/// A convention test checks that every <see cref="ExecutionModuleAttribute"/> type and <see cref="IGrainProvider"/> is listed here.
/// </remarks>
public static class BuiltinModules
{
    /// <summary>Registers every built-in execution module, running host operations through <paramref name="providers"/>.</summary>
    public static ExecutionModuleRegistry AddBuiltinModules(this ExecutionModuleRegistry registry, ModuleProviders? providers = null)
    {
        providers ??= new ModuleProviders();
        return registry
            .Add(new AlternativesModule(providers.ProcessRunner, providers.HostRoot))
            .Add(new BeaconsModule())
            .Add(new CmdModule(providers.ProcessRunner, providers.Accounts))
            .Add(new ConfigModule())
            .Add(new CpModule(logger: providers.LoggerFactory.CreateLogger<CpModule>()))
            .Add(new DebconfModule(providers.ProcessRunner))
            .Add(new DefaultsModule())
            .Add(new DiskModule(providers.ProcessRunner))
            .Add(new EventModule())
            .Add(new FileModule(providers.ProcessRunner, providers.Accounts))
            .Add(new GitModule())
            .Add(new GrainsModule())
            .Add(new GroupModule(providers.Accounts, providers.ProcessRunner))
            .Add(new HostsModule())
            .Add(new LocaleModule(providers.ProcessRunner, providers.HostRoot))
            .Add(new LogModule(providers.LoggerFactory.CreateLogger("Orchestrator.Minion.Modules.Execution.LogModule")))
            .Add(new MineModule(providers.LoggerFactory.CreateLogger<MineModule>()))
            .Add(new MountModule(providers.ProcessRunner))
            .Add(new NetworkModule())
            .Add(new PillarModule())
            .Add(new PkgModule(() => providers.PackageManager, providers.ProcessRunner, providers.HostRoot))
            .Add(new SaltutilModule())
            .Add(new ScheduleModule())
            .Add(new ServiceModule(() => providers.ServiceManager, providers.ProcessRunner, providers.HostRoot))
            .Add(new SlsutilModule(ctx => SaltFunctions.RendererFor(ctx), providers.LoggerFactory.CreateLogger<SlsutilModule>()))
            .Add(new SshModule(providers.ProcessRunner, providers.Accounts))
            .Add(new StateModule(
                providers.ExtraStateModules.Aggregate(new StateModuleRegistry().AddBuiltinStateModules(), (states, module) => states.Add(module)),
                topMatcher: TopMatching.For, rendererFactory: ctx => SaltFunctions.RendererFor(ctx)))
            .Add(new StatusModule(providers.ProcessRunner, providers.HostRoot))
            .Add(new SysModule())
            .Add(new SysctlModule(providers.ProcessRunner, providers.HostRoot))
            .Add(new TestModule())
            .Add(new TimezoneModule(providers.ProcessRunner, providers.HostRoot))
            .Add(new UserModule(providers.Accounts));
    }

    /// <summary>Registers every built-in grain provider; later providers win on a shared key.</summary>
    public static GrainsCollector AddBuiltinGrains(this GrainsCollector collector) =>
        collector
            .Add(new CpuGrains())
            .Add(new DisksGrains())
            .Add(new DnsGrains())
            .Add(new FqdnsGrains())
            .Add(new GatewayGrains())
            .Add(new GpuGrains())
            .Add(new HardwareGrains())
            .Add(new HostGrains())
            .Add(new IdGrains())
            .Add(new InitGrains())
            .Add(new KernelGrains())
            .Add(new KernelParamsGrains())
            .Add(new LocaleGrains())
            .Add(new MachineIdGrains())
            .Add(new MasterGrains())
            .Add(new MemoryGrains())
            .Add(new NetworkGrains())
            .Add(new OsGrains())
            .Add(new ProcessGrains())
            .Add(new PsGrains())
            .Add(new SystemdGrains())
            .Add(new TransactionalGrains())
            .Add(new UefiGrains())
            .Add(new VersionGrains())
            .Add(new VirtualGrains())
            .Add(new ZfsGrains());
}
