namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Picks the service provider for this host.</summary>
public static class ServiceManagers
{
    /// <summary>systemd when <c>/run/systemd/system</c> exists (sd_booted's test), else sysvinit.</summary>
    /// <param name="runner">Runs systemctl/service.</param>
    /// <param name="root">The filesystem root to inspect; tests point it at a temp dir.</param>
    public static IServiceManager ForHost(IProcessRunner runner, string root = "/") =>
        Directory.Exists(Path.Combine(root, "run", "systemd", "system"))
            ? new SystemdServiceManager(runner)
            : new SysvinitServiceManager(runner, root);

    /// <summary>From the <c>init</c> grain (<c>systemd</c> or <c>sysvinit</c>); anything else falls back to probing the host.</summary>
    public static IServiceManager ForGrains(IReadOnlyDictionary<string, object?> grains, IProcessRunner runner, string root = "/") =>
        grains.GetValueOrDefault("init") switch
        {
            "systemd" => new SystemdServiceManager(runner),
            "sysvinit" => new SysvinitServiceManager(runner, root),
            _ => ForHost(runner, root),
        };
}
