namespace Orchestrator.Master.Events;

/// <summary>An event on the master's bus.</summary>
public sealed record MasterEvent(string Tag, Dictionary<string, object?> Data, DateTimeOffset Timestamp);
