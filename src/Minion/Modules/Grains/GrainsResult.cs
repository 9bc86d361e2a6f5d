namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The merged grains of a minion and the providers that failed to contribute.</summary>
public sealed record GrainsResult(Dictionary<string, object?> Grains, IReadOnlyList<GrainProviderFailure> Failures);
