namespace Orchestrator.Minion.Modules.Grains;

/// <summary>A provider that threw while collecting; its grains are missing from the result.</summary>
public sealed record GrainProviderFailure(string Provider, Exception Exception);
