using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Beacons;

/// <summary>THE list of built-in beacons. Add new ones here, in sorted order.</summary>
/// <remarks>
/// A convention test checks that every <see cref="BeaconAttribute"/> type is listed here. Host facts are read under
/// <see cref="ModuleProviders.HostRoot"/> and services through <see cref="ModuleProviders.ServiceManager"/>, so tests pass fakes.
/// journald is not built in: it needs the systemd journal API, which the minion does not link.
/// </remarks>
public static class BuiltinBeacons
{
    public static BeaconRegistry AddBuiltinBeacons(this BeaconRegistry registry, ModuleProviders? providers = null)
    {
        providers ??= new ModuleProviders();
        return registry
            .Add(new DiskUsageBeacon(providers.HostRoot))
            .Add(new HttpStatusBeacon())
            .Add(new InotifyBeacon())
            .Add(new LoadBeacon(providers.HostRoot))
            .Add(new LogBeacon())
            .Add(new MemUsageBeacon(providers.HostRoot))
            .Add(new PsBeacon(providers.HostRoot))
            .Add(new ServiceBeacon(() => providers.ServiceManager))
            .Add(new StatusBeacon(providers.HostRoot));
    }
}
