using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>service</c> module, backed by the host's <see cref="IServiceManager"/> (systemd or sysvinit).</summary>
[ExecutionModule("service")]
public sealed class ServiceModule : IExecutionModule
{
    private readonly Func<IServiceManager> _manager;

    /// <param name="manager">Resolves the provider on first use, so merely loading the module probes nothing.</param>
    /// <param name="runner">Runs systemctl for the masking functions; null uses the host's.</param>
    /// <param name="root">Host root for the systemd probes and unit links; "/" outside tests.</param>
    /// <param name="offline">Whether systemd is in offline mode (default: probes the host, see <see cref="ServiceManagers.SystemdOffline"/>).</param>
    public ServiceModule(Func<IServiceManager> manager, IProcessRunner? runner = null, string root = "/", Func<bool>? offline = null)
    {
        _manager = manager;
        var isOffline = offline ?? (() => ServiceManagers.SystemdOffline());
        Functions =
        [
            .. new ServiceMask(runner ?? new SystemProcessRunner(), root).Functions(),
            new("available", "Return True if the named service is known to the init system.\n\nCLI Example: orch '*' service.available sshd",
                [Req("name")], AvailableAsync),
            new("disable", "Disable the named service at boot; returns True on success.\n\nCLI Example: orch '*' service.disable <service name>",
                [Req("name")], (c, t) => BoolAsync(c, (m, n) => m.DisableAsync(n, t))),
            new("disabled", "Return True if the named service is not enabled at boot.\n\nCLI Example: orch '*' service.disabled <service name>",
                [Req("name")], async (c, t) => !await _manager().IsEnabledAsync(Name(c), t).ConfigureAwait(false)),
            new("enable", "Enable the named service at boot; returns True on success.\n\nCLI Example: orch '*' service.enable <service name>",
                [Req("name")], (c, t) => BoolAsync(c, (m, n) => m.EnableAsync(n, t))),
            new("enabled", "Return True if the named service is enabled at boot.\n\nCLI Example: orch '*' service.enabled <service name>",
                [Req("name")], (c, t) => BoolAsync(c, (m, n) => m.IsEnabledAsync(n, t))),
            new("get_all", "Return a sorted list of all services the init system knows.\n\nCLI Example: orch '*' service.get_all", [],
                async (_, t) => (await _manager().GetAllAsync(t).ConfigureAwait(false)).Cast<object?>().ToList()),
            new("missing", "Return True if the named service is not known to the init system.\n\nCLI Example: orch '*' service.missing sshd",
                [Req("name")], async (c, t) => !(bool)(await AvailableAsync(c, t).ConfigureAwait(false))!),
            new("offline", "Return True if systemd is in offline mode: systemctl is installed but systemd is not PID 1 (Salt 3004+).\n\n" +
                "CLI Example: orch '*' service.offline", [], (_, _) => Task.FromResult<object?>(isOffline())),
            new("provider", "Return the name of the service provider in use (systemd or sysvinit).\n\nCLI Example: orch '*' service.provider",
                [], (_, _) => Task.FromResult<object?>(_manager().Name)),
            new("reload", "Reload the named service; returns True on success.\n\nCLI Example: orch '*' service.reload <service name>",
                [Req("name")], (c, t) => ControlAsync(c, "reload", t)),
            new("restart", "Restart the named service; returns True on success.\n\nCLI Example: orch '*' service.restart <service name>",
                [Req("name")], (c, t) => ControlAsync(c, "restart", t)),
            new("start", "Start the named service; returns True on success.\n\nCLI Example: orch '*' service.start <service name>",
                [Req("name")], (c, t) => ControlAsync(c, "start", t)),
            new("status", "Return True if the named service is running. A glob name returns {service: bool} for every match.\n\n" +
                "CLI Example: orch '*' service.status <service name>", [Req("name"), Opt("sig")], StatusAsync),
            new("stop", "Stop the named service; returns True on success.\n\nCLI Example: orch '*' service.stop <service name>",
                [Req("name")], (c, t) => ControlAsync(c, "stop", t)),
        ];
    }

    public string Doc => "Manage system services: start, stop, restart, enable at boot, and query state.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static string Name(ModuleCall call) => call.RequireString("name");

    private async Task<object?> BoolAsync(ModuleCall call, Func<IServiceManager, string, Task<bool>> action) =>
        await action(_manager(), Name(call)).ConfigureAwait(false);

    private async Task<object?> ControlAsync(ModuleCall call, string action, CancellationToken cancellationToken) =>
        await _manager().ControlAsync(Name(call), action, cancellationToken).ConfigureAwait(false);

    private async Task<object?> AvailableAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var name = Name(call);
        var all = await _manager().GetAllAsync(cancellationToken).ConfigureAwait(false);
        var bare = name.EndsWith(".service", StringComparison.Ordinal) ? name[..^".service".Length] : name;
        return all.Contains(bare);
    }

    private async Task<object?> StatusAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var name = Name(call);
        var manager = _manager();
        if (!Glob.IsPattern(name))
        {
            return await manager.StatusAsync(name, cancellationToken).ConfigureAwait(false);
        }
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var service in (await manager.GetAllAsync(cancellationToken).ConfigureAwait(false)).Where(s => Glob.Matches(name, s)))
        {
            result[service] = await manager.StatusAsync(service, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }
}
