namespace Orchestrator.Master.Jobs;

/// <summary>A published job as the cache keeps it.</summary>
public sealed record JobRecord(
    string Jid,
    string Function,
    List<object?> Args,
    Dictionary<string, object?> Kwargs,
    string Target,
    string TargetType,
    string User,
    DateTimeOffset StartedAt,
    int Timeout,
    IReadOnlyList<string> Minions);
