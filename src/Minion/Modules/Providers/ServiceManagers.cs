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

    /// <summary>
    /// Salt's systemd "offline" mode: systemctl is installed but systemd is not PID 1 (no <c>/run/systemd/system</c>),
    /// as in most containers; Salt's service states then do nothing.
    /// </summary>
    /// <param name="root">The filesystem root to inspect; tests point it at a temp dir.</param>
    public static bool SystemdOffline(string root = "/")
    {
        if (Directory.Exists(Path.Combine(root, "run", "systemd", "system")))
        {
            return false;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(root, dir.TrimStart('/'), "systemctl")));
    }

    /// <summary>From the <c>init</c> grain (<c>systemd</c> or <c>sysvinit</c>); anything else falls back to probing the host.</summary>
    public static IServiceManager ForGrains(IReadOnlyDictionary<string, object?> grains, IProcessRunner runner, string root = "/") =>
        grains.GetValueOrDefault("init") switch
        {
            "systemd" => new SystemdServiceManager(runner),
            "sysvinit" => new SysvinitServiceManager(runner, root),
            _ => ForHost(runner, root),
        };
}
