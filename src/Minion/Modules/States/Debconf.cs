using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>debconf.set</c> state (Salt's file is debconfmod.py, its virtual name <c>debconf</c>).</summary>
[StateModule("debconf")]
public sealed class DebconfState : IStateModule
{
    public string Doc => "Management of debconf selections.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("set", [FunctionParameter.Req("name"), FunctionParameter.Req("data")], SetAsync,
            "Set debconf selections.\n\n    <state_id>:\n      debconf.set:\n        - name: <name>\n        - data:\n            <question>: " +
            "{'type': <type>, 'value': <value>}\n\nname:\n    The package name to set answers for.\n\ndata:\n    A set of questions/answers for " +
            "debconf. Note that everything under this must be indented twice.\n\nquestion:\n    The question the is being pre-answered\n\ntype:\n" +
            "    The type of question that is being asked (string, boolean, select, etc.)\n\nvalue:\n    The answer to the question"),
    ];

    private static async Task<StateReturn> SetAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        if (c["data"] is not Dictionary<string, object?> data)
        {
            return StateReturn.Fail(name, $"Invalid data for debconf.set: 'data' must be a mapping of question: {{type, value}}, got {PyText.Repr(c["data"])}");
        }
        var ret = StateReturn.Ok(name, string.Empty);
        var current = await StateInvoke.CallAsync(c, "debconf.show", [name], null, ct).ConfigureAwait(false) as List<object?>;
        foreach (var (key, raw) in data)
        {
            if (raw is not Dictionary<string, object?> args || !args.ContainsKey("type") || !args.ContainsKey("value"))
            {
                return StateReturn.Fail(name, $"Invalid data for debconf.set: question '{key}' needs a mapping with 'type' and 'value'");
            }
            var type = PyText.Str(args["type"]);
            var value = type == "boolean" ? (DataTree.IsTruthy(args["value"]) ? "true" : "false") : PyText.Str(args["value"]);
            var known = current?.OfType<List<object?>>().Any(q => q.Count == 3 && PyText.Str(q[0]) == key && PyText.Str(q[1]) == type && PyText.Str(q[2]) == value)
                ?? false;
            if (known)
            {
                ret.Comment = (ret.Comment is "" ? "Unchanged answers: " : (string)ret.Comment!) + $"{key} ";
            }
            else if (c.Test)
            {
                ret.Result = null;
                ret.Changes[key] = $"New value: {value}";
            }
            else
            {
                bool done;
                try
                {
                    done = DataTree.IsTruthy(await StateInvoke.CallAsync(c, "debconf.set", [name, key, type, value], null, ct).ConfigureAwait(false));
                }
                catch (StateCallException)
                {
                    done = false;
                }
                if (done)
                {
                    ret.Changes[key] = type == "password" ? "(password hidden)" : value;
                }
                else
                {
                    ret.Result = false;
                    ret.Comment = "Some settings failed to be applied.";
                    ret.Changes[key] = "Failed to set!";
                }
            }
        }
        if (ret.Changes.Count == 0)
        {
            ret.Comment = "All specified answers are already set";
        }
        return ret;
    }
}
