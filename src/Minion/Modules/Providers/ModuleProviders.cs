using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Minion.Modules.Providers;

/// <summary>The host services built-in modules run through; replace any of them in tests.</summary>
/// <remarks>
/// Defaults talk to the real host. Unless set, <see cref="ServiceManager"/> and <see cref="PackageManager"/> are chosen the first
/// time they are needed: from <see cref="Grains"/> when given (the daemon passes the collected grains), else by probing the host.
/// </remarks>
public sealed class ModuleProviders
{
    private IServiceManager? _serviceManager;
    private IPackageManager? _packageManager;

    public IProcessRunner ProcessRunner { get; init; } = new SystemProcessRunner();

    /// <summary>Loggers for modules that write to the minion's log (<c>log.*</c>); nothing is kept by default.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public IAccountDatabase Accounts { get; init; } = new EtcAccountDatabase();

    /// <summary>The filesystem root that host probes (init system, /proc) look under; "/" outside tests.</summary>
    public string HostRoot { get; init; } = "/";

    /// <summary>The minion's grains, used to choose providers (<c>init</c>, <c>os_family</c>).</summary>
    public IReadOnlyDictionary<string, object?>? Grains { get; init; }

    /// <summary>State modules offered besides the built-in ones (the master's <c>salt.*</c> orchestration states).</summary>
    public IReadOnlyList<StateEngine.IStateModule> ExtraStateModules { get; init; } = [];

    public IServiceManager ServiceManager
    {
        get => _serviceManager ??= Grains is null
            ? ServiceManagers.ForHost(ProcessRunner, HostRoot)
            : ServiceManagers.ForGrains(Grains, ProcessRunner, HostRoot);
        init => _serviceManager = value;
    }

    public IPackageManager PackageManager
    {
        get => _packageManager ??= PackageManagers.ForGrains(Grains ?? new Dictionary<string, object?>(), ProcessRunner);
        init => _packageManager = value;
    }
}
