namespace Orchestrator.Master.Pillar;

/// <summary>A minion's pillar and the errors met compiling it (each naming its file).</summary>
public sealed record CompiledPillar(Dictionary<string, object?> Pillar, IReadOnlyList<string> Errors);
