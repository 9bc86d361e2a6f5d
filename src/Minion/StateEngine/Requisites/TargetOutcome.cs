using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>What a requisite looks at in a target's return: its result, whether it changed anything, whether it ran.</summary>
public readonly record struct TargetOutcome(bool? Result, bool Changed, bool StateRan = true)
{
    public static TargetOutcome From(IReadOnlyDictionary<string, object?> ret) => new(
        ret.GetValueOrDefault("result") as bool?,
        DataTree.IsTruthy(ret.GetValueOrDefault("changes")),
        ret.GetValueOrDefault("__state_ran__") is not false);
}
