using Orchestrator.Minion.Modules;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Orchestration;

/// <summary>
/// Salt's master-side <c>salt</c> states (<c>salt/states/saltmod.py</c>), the steps of an orchestration: <c>salt.state</c>
/// and <c>salt.function</c> run jobs on minions and judge their returns, <c>salt.runner</c> and <c>salt.wheel</c> call the
/// master, <c>salt.wait_for_event</c> waits on the bus. Requisites between steps are the state engine's, as in any SLS.
/// </summary>
[StateModule("salt")]
public sealed partial class SaltStateModule(OrchestrationBackend backend, string user) : IStateModule
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Orchestration steps run on the master: salt.state, salt.function, salt.runner, salt.wheel, salt.wait_for_event.";

    public IReadOnlyList<StateFunction> Functions =>
    [
        new("state", [.. _name, FunctionParameter.Req("tgt")], StateAsync, "Runs state.sls (sls=...) or state.highstate (highstate=True) on the target."),
        new("function", [.. _name, FunctionParameter.Req("tgt")], FunctionAsync, "Runs one execution function (name) on the target, with arg and kwarg."),
        new("runner", _name, RunnerAsync, "Runs a runner function on the master."),
        new("wheel", _name, (c, _) => Task.FromResult(Wheel(c)), "Runs a wheel function on the master (key.accept, key.reject, key.delete, key.list_all)."),
        new("wait_for_event", [.. _name, FunctionParameter.Req("id_list")], WaitForEventAsync,
            "Waits until an event whose tag matches name has come from every id in id_list (event_id, timeout)."),
    ];

    /// <summary>Salt's <c>fail_minions</c>: a list, or a comma-separated string; anything else is ignored with a warning.</summary>
    private static HashSet<string> FailMinions(StateCall call, StateReturn ret)
    {
        switch (call["fail_minions"])
        {
            case null:
                return [];
            case string text:
                return text.Split(',').Select(m => m.Trim()).ToHashSet(StringComparer.Ordinal);
            case List<object?> list:
                return list.Select(PyText.Str).ToHashSet(StringComparer.Ordinal);
            default:
                Warn(ret, "'fail_minions' needs to be a list or a comma separated string. Ignored.");
                return [];
        }
    }

    private static void Warn(StateReturn ret, string warning)
    {
        if (ret.Extra.GetValueOrDefault("warnings") is not List<object?> warnings)
        {
            warnings = [];
            ret.Extra["warnings"] = warnings;
        }
        warnings.Add(warning);
    }

    /// <summary>Salt's <c>state.check_result(ret, recurse=True)</c>: a non-empty mapping in which no state result is False.</summary>
    private static bool CheckResult(object? running)
    {
        if (running is not Dictionary<string, object?> { Count: > 0 } states)
        {
            return false;
        }
        foreach (var (_, value) in states)
        {
            if (value is not Dictionary<string, object?> state)
            {
                continue;
            }
            if (state.TryGetValue("result", out var result))
            {
                if (result is false)
                {
                    return false;
                }
            }
            else if (!CheckResult(state))
            {
                return false;
            }
        }
        return true;
    }

    private static int? Timeout(StateCall call) => call.GetInt("timeout") is { } t ? (int)t : null;

    private static Dictionary<string, object?> Kwargs(StateCall call, params string[] skip)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in call.Args)
        {
            if (key != "name" && !key.StartsWith("__", StringComparison.Ordinal) && !skip.Contains(key))
            {
                kwargs[key] = value;
            }
        }
        return kwargs;
    }
}
