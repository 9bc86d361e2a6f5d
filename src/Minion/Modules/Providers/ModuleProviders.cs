namespace Orchestrator.Minion.Modules.Providers;

/// <summary>The host services built-in modules run through; replace any of them in tests.</summary>
/// <remarks>
/// Defaults talk to the real host. <see cref="ServiceManager"/> is chosen from the host (systemd or sysvinit) the first time it is
/// needed unless one is set.
/// </remarks>
public sealed class ModuleProviders
{
    private IServiceManager? _serviceManager;
    private IPackageManager? _packageManager;

    public IProcessRunner ProcessRunner { get; init; } = new SystemProcessRunner();

    public IAccountDatabase Accounts { get; init; } = new EtcAccountDatabase();

    /// <summary>The filesystem root that host probes (init system, /proc) look under; "/" outside tests.</summary>
    public string HostRoot { get; init; } = "/";

    public IServiceManager ServiceManager
    {
        get => _serviceManager ??= ServiceManagers.ForHost(ProcessRunner, HostRoot);
        init => _serviceManager = value;
    }

    public IPackageManager PackageManager
    {
        get => _packageManager ??= new AptPackageManager(ProcessRunner);
        init => _packageManager = value;
    }
}
