namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// The targets of one requisite kind of a state, as the evaluator sees them: an outcome per target, or null for a target
/// that has not run (in the run it is looked up in: the prereq test runs for <c>prereq</c>, the real runs otherwise).
/// </summary>
public readonly record struct RequisiteGroup(RequisiteKind Kind, IReadOnlyList<TargetOutcome?> Targets);
