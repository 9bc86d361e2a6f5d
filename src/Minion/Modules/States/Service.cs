using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>service</c> states over the <c>service.*</c> execution functions (status, start, stop, restart, reload, enable...).</summary>
[StateModule("service")]
public sealed class ServiceState : IStateModule, IWatchable
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Keep services running or stopped, enabled or disabled; restart or reload them on watch.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("running", _name, RunningAsync, "Makes sure a service is running (and enabled when enable=True)."),
        new("dead", _name, DeadAsync, "Makes sure a service is stopped (and disabled when enable=False)."),
        new("enabled", _name, (c, ct) => EnabledStateAsync(c, true, ct), "Makes sure a service starts at boot."),
        new("disabled", _name, (c, ct) => EnabledStateAsync(c, false, ct), "Makes sure a service does not start at boot."),
        .. ServiceMasking.Functions,
    ];

    private static async Task<bool> Bool(StateCall c, string function, CancellationToken ct) =>
        DataTree.IsTruthy(await StateInvoke.CallAsync(c, function, [c.Name], null, ct).ConfigureAwait(false));

    // Salt's _offline(): only a service module that has service.offline (systemd's) can be offline.
    private static async Task<bool> OfflineAsync(StateCall c, CancellationToken ct) =>
        c.Context.Modules.Exists("service.offline")
        && DataTree.IsTruthy(await StateInvoke.CallAsync(c, "service.offline", [], null, ct).ConfigureAwait(false));

    private static async Task<bool> AvailableAsync(StateCall c, CancellationToken ct) =>
        !c.Context.Modules.Exists("service.available") || await Bool(c, "service.available", ct).ConfigureAwait(false);

    // What running and dead answer before they look at the service: nothing to do offline, or a service the init
    // system does not know (a test run says what would have happened; dead is content without it).
    private static async Task<StateReturn?> PreflightAsync(StateCall c, string wouldHave, bool missingIsFine, CancellationToken ct)
    {
        if (await OfflineAsync(c, ct).ConfigureAwait(false))
        {
            return StateReturn.Ok(c.Name, "Running in OFFLINE mode. Nothing to do");
        }
        if (await AvailableAsync(c, ct).ConfigureAwait(false))
        {
            return null;
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"Service {c.Name} not present; if created in this state run, it would have been {wouldHave}");
        }
        var comment = $"The named service {c.Name} is not available";
        return missingIsFine ? StateReturn.Ok(c.Name, comment) : StateReturn.Fail(c.Name, comment);
    }

    private static async Task<StateReturn> EnabledStateAsync(StateCall c, bool enable, CancellationToken ct)
    {
        // Salt's systemd module cannot tell whether a unit exists without PID 1.
        if (await OfflineAsync(c, ct).ConfigureAwait(false))
        {
            return StateReturn.Fail(c.Name, $"Cannot run in offline mode. Failed to get information on unit '{c.Name}'");
        }
        if (!await AvailableAsync(c, ct).ConfigureAwait(false))
        {
            var comment = $"The named service {c.Name} is not available";
            if (!enable)
            {
                return StateReturn.Ok(c.Name, comment);
            }
            return c.Test
                ? StateReturn.Pending(c.Name, $"Service {c.Name} not present; if created in this state run, it would have been enabled")
                : StateReturn.Fail(c.Name, comment);
        }
        return await EnableAsync(c, StateReturn.Ok(c.Name, string.Empty), enable, ct).ConfigureAwait(false);
    }

    private static async Task<StateReturn> RunningAsync(StateCall c, CancellationToken ct)
    {
        if (await PreflightAsync(c, "started", missingIsFine: false, ct).ConfigureAwait(false) is { } early)
        {
            return early;
        }
        var ret = StateReturn.Ok(c.Name, string.Empty);
        var running = await Bool(c, "service.status", ct).ConfigureAwait(false);
        if (running)
        {
            ret.Comment = $"The service {c.Name} is already running";
        }
        else if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Service {c.Name} is set to start";
            return ret;
        }
        else
        {
            await StateInvoke.CallAsync(c, "service.start", [c.Name], null, ct).ConfigureAwait(false);
            if (!await Bool(c, "service.status", ct).ConfigureAwait(false))
            {
                return StateReturn.Fail(c.Name, $"Service {c.Name} failed to start");
            }
            ret.Changes[c.Name] = true;
            ret.Comment = $"Started service {c.Name}";
        }
        if (c.Has("enable"))
        {
            await EnableAsync(c, ret, c.GetBool("enable"), ct).ConfigureAwait(false);
        }
        return ret;
    }

    private static async Task<StateReturn> DeadAsync(StateCall c, CancellationToken ct)
    {
        if (await PreflightAsync(c, "stopped", missingIsFine: true, ct).ConfigureAwait(false) is { } early)
        {
            return early;
        }
        var ret = StateReturn.Ok(c.Name, string.Empty);
        var running = await Bool(c, "service.status", ct).ConfigureAwait(false);
        if (!running)
        {
            ret.Comment = $"The service {c.Name} is already dead";
        }
        else if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Service {c.Name} is set to be killed";
            return ret;
        }
        else
        {
            await StateInvoke.CallAsync(c, "service.stop", [c.Name], null, ct).ConfigureAwait(false);
            if (await Bool(c, "service.status", ct).ConfigureAwait(false))
            {
                return StateReturn.Fail(c.Name, $"Service {c.Name} failed to die");
            }
            ret.Changes[c.Name] = true;
            ret.Comment = $"Service {c.Name} was killed";
        }
        if (c.Has("enable"))
        {
            await EnableAsync(c, ret, c.GetBool("enable"), ct).ConfigureAwait(false);
        }
        return ret;
    }

    private static async Task<StateReturn> EnableAsync(StateCall c, StateReturn ret, bool enable, CancellationToken ct)
    {
        var prefix = ret.Comment is string { Length: > 0 } existing ? existing + "\n" : string.Empty;
        var word = enable ? "enabled" : "disabled";
        var isEnabled = await Bool(c, "service.enabled", ct).ConfigureAwait(false);
        if (isEnabled == enable)
        {
            ret.Comment = prefix + $"Service {c.Name} is already {word}, and is in the desired state";
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = prefix + $"Service {c.Name} set to be {word}";
            return ret;
        }
        var done = DataTree.IsTruthy(await StateInvoke.CallAsync(c, enable ? "service.enable" : "service.disable", [c.Name], null, ct).ConfigureAwait(false));
        if (!done)
        {
            ret.Result = false;
            ret.Comment = prefix + $"Failed when setting service {c.Name} to start at boot, but the service was already running";
            return ret;
        }
        ret.Changes[c.Name] = true;
        ret.Comment = prefix + $"Service {c.Name} has been {word}";
        return ret;
    }

    public async Task<StateReturn> ModWatchAsync(StateCall c, CancellationToken cancellationToken)
    {
        string function;
        string verb;
        string done;
        if (c.Sfun == "dead")
        {
            if (!await Bool(c, "service.status", cancellationToken).ConfigureAwait(false))
            {
                return StateReturn.Ok(c.Name, "Service is already stopped");
            }
            (function, verb, done) = ("service.stop", "stop", "stopped");
        }
        else if (c.Sfun == "running")
        {
            if (await Bool(c, "service.status", cancellationToken).ConfigureAwait(false))
            {
                (function, verb, done) = c.GetBool("reload") && c.Context.Modules.Exists("service.reload")
                    ? ("service.reload", "reload", "reloaded")
                    : ("service.restart", "restart", "restarted");
            }
            else
            {
                (function, verb, done) = ("service.start", "start", "started");
            }
        }
        else
        {
            return StateReturn.Fail(c.Name, $"Unable to trigger watch for service.{c.Sfun}");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"Service is set to be {done}");
        }
        var result = DataTree.IsTruthy(await StateInvoke.CallAsync(c, function, [c.Name], null, cancellationToken).ConfigureAwait(false));
        return new StateReturn
        {
            Name = c.Name,
            Result = result,
            Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { [c.Name] = result },
            Comment = result ? $"Service {done}" : $"Failed to {verb} the service",
        };
    }
}
