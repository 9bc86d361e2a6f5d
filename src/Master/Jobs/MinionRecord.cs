namespace Orchestrator.Master.Jobs;

/// <summary>What the master knows of a minion: last contact and grains.</summary>
public sealed record MinionRecord(string Id, DateTimeOffset? LastSeen, Dictionary<string, object?> Grains);
