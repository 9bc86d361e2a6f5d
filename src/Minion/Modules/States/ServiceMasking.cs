using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>service.masked</c> and <c>service.unmasked</c> (systemd only), part of <see cref="ServiceState"/>.</summary>
internal static class ServiceMasking
{
    private static readonly FunctionParameter[] _params = [FunctionParameter.Req("name"), FunctionParameter.Opt("runtime", false)];

    public static StateFunction[] Functions { get; } =
    [
        new("masked", _params, (c, ct) => RunAsync(c, true, ct),
            "Ensures that the named service is masked (i.e. prevented from being started). Only available on minions which use systemd " +
            "(running, or installed but not running: Salt's offline mode).\n\nname\n    Name of the service to mask\n\nruntime : False\n    " +
            "By default, this state will manage an indefinite mask for the named service. Set this argument to True to runtime mask the service."),
        new("unmasked", _params, (c, ct) => RunAsync(c, false, ct),
            "Ensures that the named service is unmasked. Only available on minions which use systemd.\n\nname\n    Name of the service to " +
            "unmask\n\nruntime : False\n    By default, this state will manage an indefinite mask for the named service. Set this argument to " +
            "True to ensure that the service is runtime unmasked."),
    ];

    private static async Task<StateReturn> RunAsync(StateCall c, bool mask, CancellationToken ct)
    {
        var name = c.Name;
        if (!c.Context.Modules.Exists("service.masked"))
        {
            return StateReturn.Fail(name, "Service masking not available on this minion");
        }
        var runtime = c.GetBool("runtime");
        var maskType = runtime ? "runtime masked" : "masked";
        var action = mask ? maskType : runtime ? "runtime unmasked" : "unmasked";
        var expected = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [maskType] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["old"] = !mask, ["new"] = mask },
        };
        try
        {
            async Task<bool> Masked() => DataTree.IsTruthy(await StateInvoke.CallAsync(c, "service.masked", [name, runtime], null, ct).ConfigureAwait(false));
            if (await Masked().ConfigureAwait(false) == mask)
            {
                return StateReturn.Ok(name, mask ? $"Service {name} is already {maskType}" : $"Service {name} was already {action}");
            }
            if (c.Test)
            {
                return StateReturn.Pending(name, $"Service {name} would be {action}", expected);
            }
            await StateInvoke.CallAsync(c, mask ? "service.mask" : "service.unmask", [name, runtime], null, ct).ConfigureAwait(false);
            if (await Masked().ConfigureAwait(false) == mask)
            {
                var ret = StateReturn.Ok(name, $"Service {name} was {action}");
                ret.Changes = expected;
                return ret;
            }
            return StateReturn.Fail(name, mask ? $"Failed to mask service {name}" : $"Failed to unmask service {name}");
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, e.Message);
        }
    }
}
