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
        var ret = StateReturn.Ok(c.Name, string.Empty);
        await ToggleAsync(c, ret, enable, started: null, result: true, ct).ConfigureAwait(false);
        if (enable && c.Test && ret.Comment is string comment && comment == $"The named service {c.Name} is not available")
        {
            ret.Result = null;
            ret.Comment = $"Service {c.Name} not present; if created in this state run, it would have been enabled";
        }
        return ret;
    }

    // Salt converts a string enable with is_true; anything else that is not a bool means "leave it".
    private static bool? EnableArg(StateCall c) => c["enable"] switch
    {
        bool b => b,
        string s => s.ToLowerInvariant() is "true" or "yes" or "1" or "on",
        long l => l != 0,
        _ => null,
    };

    private static async Task<bool> EnabledNowAsync(StateCall c, CancellationToken ct) =>
        !c.Context.Modules.Exists("service.enabled") || await Bool(c, "service.enabled", ct).ConfigureAwait(false);

    private static async Task<StateReturn> RunningAsync(StateCall c, CancellationToken ct)
    {
        if (c.Args.ContainsKey("enabled"))
        {
            return EnabledUsedError(c);
        }
        if (await PreflightAsync(c, "started", missingIsFine: false, ct).ConfigureAwait(false) is { } early)
        {
            return early;
        }
        var enable = EnableArg(c);
        var ret = StateReturn.Ok(c.Name, string.Empty);
        var before = await Bool(c, "service.status", ct).ConfigureAwait(false);
        var beforeEnabled = await EnabledNowAsync(c, ct).ConfigureAwait(false);
        if (before)
        {
            ret.Comment = $"The service {c.Name} is already running";
            if (enable is { } wanted && wanted != beforeEnabled)
            {
                await ToggleAsync(c, ret, wanted, started: null, result: true, ct).ConfigureAwait(false);
            }
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Service {c.Name} is set to start";
            return ret;
        }
        if (!await Bool(c, "service.start", ct).ConfigureAwait(false))
        {
            ret.Result = false;
            ret.Comment = $"Service {c.Name} failed to start";
            if (enable is { } wantedAfterFailure)
            {
                await ToggleAsync(c, ret, wantedAfterFailure, started: false, result: false, ct).ConfigureAwait(false);
            }
            return ret;
        }
        var after = await Bool(c, "service.status", ct).ConfigureAwait(false);
        var afterEnabled = await EnabledNowAsync(c, ct).ConfigureAwait(false);
        if (beforeEnabled != afterEnabled || before != after)
        {
            ret.Changes[c.Name] = after;
        }
        ret.Comment = after ? $"Started service {c.Name}" : $"Service {c.Name} failed to start";
        ret.Result = after;
        if (enable is { } wantedAfter)
        {
            await ToggleAsync(c, ret, wantedAfter, started: after, result: after, ct).ConfigureAwait(false);
        }
        return ret;
    }

    private static async Task<StateReturn> DeadAsync(StateCall c, CancellationToken ct)
    {
        if (c.Args.ContainsKey("enabled"))
        {
            return EnabledUsedError(c);
        }
        if (await PreflightAsync(c, "stopped", missingIsFine: true, ct).ConfigureAwait(false) is { } early)
        {
            return early;
        }
        var enable = EnableArg(c);
        var ret = StateReturn.Ok(c.Name, string.Empty);
        var before = await Bool(c, "service.status", ct).ConfigureAwait(false);
        var beforeEnabled = await EnabledNowAsync(c, ct).ConfigureAwait(false);
        if (!before)
        {
            ret.Comment = $"The service {c.Name} is already dead";
            if (enable is { } wanted && wanted != beforeEnabled)
            {
                await ToggleAsync(c, ret, wanted, started: null, result: true, ct).ConfigureAwait(false);
            }
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Service {c.Name} is set to be killed";
            return ret;
        }
        if (!await Bool(c, "service.stop", ct).ConfigureAwait(false))
        {
            ret.Result = false;
            ret.Comment = $"Service {c.Name} failed to die";
            if (enable is { } wantedAfterFailure)
            {
                await ToggleAsync(c, ret, wantedAfterFailure, started: true, result: false, ct).ConfigureAwait(false);
            }
            return ret;
        }
        var after = await Bool(c, "service.status", ct).ConfigureAwait(false);
        var afterEnabled = await EnabledNowAsync(c, ct).ConfigureAwait(false);
        if (beforeEnabled != afterEnabled || before != after)
        {
            ret.Changes[c.Name] = after;
        }
        ret.Result = !after;
        ret.Comment = after ? $"Service {c.Name} failed to die" : $"Service {c.Name} was killed";
        if (enable is { } wantedAfter)
        {
            await ToggleAsync(c, ret, wantedAfter, started: after, result: !after, ct).ConfigureAwait(false);
        }
        return ret;
    }

    private static StateReturn EnabledUsedError(StateCall c) =>
        StateReturn.Fail(c.Name, $"Service {c.Name} uses non-existent option \"enabled\".  Perhaps \"enable\" option was intended?");

    // Salt's _enable/_disable: their result and comment replace the caller's (ret.update), and so do their changes
    // where they set any. `started` is True (running), False (dead) or null (already in the desired state).
    private static async Task ToggleAsync(StateCall c, StateReturn ret, bool enable, bool? started, bool result, CancellationToken ct)
    {
        var word = enable ? "enabled" : "disabled";
        var state = started switch { true => "is running", false => "is dead", null => "is in the desired state" };
        if (!await AvailableAsync(c, ct).ConfigureAwait(false))
        {
            ret.Result = !enable;
            ret.Comment = $"The named service {c.Name} is not available";
            return;
        }
        ret.Result = result;
        var (probe, act, verb) = enable ? ("service.enabled", "service.enable", "Enable") : ("service.disabled", "service.disable", "Disable");
        if (!c.Context.Modules.Exists(act) || !c.Context.Modules.Exists(probe))
        {
            ret.Comment = started switch
            {
                true => $"{verb} is not available on this minion, service {c.Name} started",
                false => $"{verb} is not available on this minion, service {c.Name} is dead",
                null => $"{verb} is not available on this minion, service {c.Name} is in the desired state",
            };
            return;
        }
        var before = await Bool(c, probe, ct).ConfigureAwait(false);
        if (before)
        {
            if (started is null)
            {
                ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal);
            }
            ret.Comment = started switch
            {
                true => $"Service {c.Name} is already {word}, and is running",
                false => $"Service {c.Name} is already {word}, and is dead",
                null => $"Service {c.Name} is already {word}, and is in the desired state",
            };
            return;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Service {c.Name} set to be {word}";
            return;
        }
        if (await Bool(c, act, ct).ConfigureAwait(false))
        {
            ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (before != await Bool(c, probe, ct).ConfigureAwait(false))
            {
                ret.Changes[c.Name] = true;
            }
            ret.Comment = $"Service {c.Name} has been {word}, and {state}";
            return;
        }
        ret.Result = false;
        ret.Comment = (enable, started) switch
        {
            (true, true) => $"Failed when setting service {c.Name} to start at boot, but the service is running",
            (true, null) => $"Failed when setting service {c.Name} to start at boot, but the service was already running",
            (true, false) => $"Failed when setting service {c.Name} to start at boot, and the service is dead",
            (false, true) => $"Failed when setting service {c.Name} to not start at boot, and is running",
            (false, null) => $"Failed when setting service {c.Name} to not start at boot, but the service was already running",
            (false, false) => $"Failed when setting service {c.Name} to not start at boot, and the service is dead",
        };
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
        if (verb == "start" && c.Context.Modules.Exists("service.stop"))
        {
            // Salt stops the service before starting it.
            await StateInvoke.CallAsync(c, "service.stop", [c.Name], null, cancellationToken).ConfigureAwait(false);
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
