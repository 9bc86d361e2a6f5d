using Orchestrator.Minion.StateEngine.Requisites;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>test</c> states: fixed outcomes for exercising requisites and outputters.</summary>
[StateModule("test")]
public sealed class TestState : IStateModule, IWatchable
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "States with fixed outcomes, for testing requisites and outputters.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("nop", _name, (c, _) => Task.FromResult(StateReturn.Ok(c.Name, "Success!")), "Does nothing and succeeds; ignores its other arguments as Salt does."),
        new("succeed_without_changes", _name, (c, _) => Task.FromResult(SucceedWithoutChanges(c)), "Succeeds without changes."),
        new("succeed_with_changes", _name, (c, _) => Task.FromResult(SucceedWithChanges(c)), "Succeeds with changes."),
        new("fail_without_changes", _name, (c, _) => Task.FromResult(FailWithoutChanges(c)), "Fails without changes."),
        new("fail_with_changes", _name, (c, _) => Task.FromResult(FailWithChanges(c)), "Fails with changes."),
        new("configurable_test_state", _name, (c, _) => Task.FromResult(Configurable(c)), "Returns the result, changes and comment asked for."),
        new("show_notification", _name, (c, _) => Task.FromResult(ShowNotification(c)), "Shows a text as the comment."),
    ];

    private static Dictionary<string, object?> ChangeData() => new(StringComparer.Ordinal)
    {
        ["testing"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["old"] = "Unchanged",
            ["new"] = "Something pretended to change",
        },
    };

    private static string Comment(StateCall call, string fallback) => call.GetString("comment") is { Length: > 0 } c ? c : fallback;

    private static StateReturn SucceedWithoutChanges(StateCall call) => StateReturn.Ok(call.Name, Comment(call, "Success!"));

    private static StateReturn SucceedWithChanges(StateCall call)
    {
        var ret = new StateReturn { Name = call.Name, Result = true, Comment = Comment(call, "Success!"), Changes = ChangeData() };
        if (call.Test)
        {
            ret.Result = null;
            ret.Comment = "If we weren't testing, this would be successful with changes";
        }
        return ret;
    }

    private static StateReturn FailWithoutChanges(StateCall call)
    {
        var ret = StateReturn.Fail(call.Name, Comment(call, "Failure!"));
        if (call.Test)
        {
            ret.Comment = "If we weren't testing, this would be a failure!";
        }
        return ret;
    }

    private static StateReturn FailWithChanges(StateCall call)
    {
        var ret = new StateReturn { Name = call.Name, Result = false, Comment = Comment(call, "Failure!"), Changes = ChangeData() };
        if (call.Test)
        {
            ret.Result = null;
            ret.Comment = "If we weren't testing, this would be failed with changes";
        }
        return ret;
    }

    // Salt compares str(value).lower() with "random"; anything else that is not a bool raises SaltInvocationError.
    private static bool IsRandom(object? value) => value is not bool && string.Equals(PyText.Str(value), "random", StringComparison.OrdinalIgnoreCase);

    private static StateReturn InvocationError(StateCall call, string message) =>
        StateReturn.Fail(call.Name, SaltExceptionText.Comment(message, "salt.exceptions.SaltInvocationError"));

    private static StateReturn Configurable(StateCall call)
    {
        var changes = call.Has("changes") ? call["changes"] : true;
        var result = call.Has("result") ? call["result"] : true;
        var comment = call.GetString("comment") ?? string.Empty;
        var ret = new StateReturn { Name = call.Name, Result = false, Comment = comment };
        if (changes is true || (IsRandom(changes) && Random.Shared.Next(2) == 0))
        {
            ret.Changes = ChangeData();
        }
        else if (changes is not false && !IsRandom(changes))
        {
            return InvocationError(call, "You have specified the state option 'changes' with invalid arguments. It must be either True, False, or 'Random'");
        }
        if (result is bool b)
        {
            ret.Result = b;
        }
        else if (IsRandom(result))
        {
            ret.Result = Random.Shared.Next(2) == 0;
        }
        else
        {
            return InvocationError(call, "You have specified the state option 'result' with invalid arguments. It must be either True, False, or 'Random'");
        }
        switch (call["warnings"])
        {
            case null:
                break;
            case string text:
                ret.Extra["warnings"] = new List<object?> { text };
                break;
            case List<object?> list:
                ret.Extra["warnings"] = list;
                break;
            default:
                return InvocationError(call, "You have specified the state option 'warnings' with invalid arguments. It must be a string or a list of strings");
        }
        if (call.Test)
        {
            ret.Result = changes is false ? true : null;
            ret.Comment = comment.Length == 0 ? "This is a test" : comment;
        }
        return ret;
    }

    private static StateReturn ShowNotification(StateCall call) => call.GetString("text") is { Length: > 0 } text
        ? StateReturn.Ok(call.Name, text)
        : InvocationError(call, "Missing required argument text.");

    public Task<StateReturn> ModWatchAsync(StateCall call, CancellationToken cancellationToken)
    {
        var hasChanges = new List<object?>();
        if (call.Reqs is not null && call.Reqs.TryGetValue(RequisiteKind.Watch.Name, out var watched))
        {
            foreach (var req in watched)
            {
                if (call.Running.TryGetValue(LowChunk.TagOf(req), out var ret)
                    && ret.GetValueOrDefault("changes") is Dictionary<string, object?> { Count: > 0 })
                {
                    hasChanges.Add($"{req["state"]}: {req["__id__"]}");
                }
            }
        }
        var result = new StateReturn
        {
            Name = call.Name,
            // Salt returns kwargs.get("result", True) as it is: an explicit null stays None.
            Result = call.Args.TryGetValue("result", out var r) ? r switch { bool b => b, null => null, _ => true } : true,
            Comment = call.GetString("comment") ?? "Watch statement fired.",
            Changes = call["changes"] as Dictionary<string, object?>
                ?? new Dictionary<string, object?>(StringComparer.Ordinal) { ["Requisites with changes"] = hasChanges },
        };
        return Task.FromResult(result);
    }
}
