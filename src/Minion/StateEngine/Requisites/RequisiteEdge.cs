namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>One requisite reference of a state resolved to the chunks it matches (none: the target was not found).</summary>
public sealed record RequisiteEdge(RequisiteKind Kind, RequisiteReference Reference, IReadOnlyList<LowChunk> Targets);
