namespace Orchestrator.Master.Jobs;

/// <summary>One minion's return for a job.</summary>
public sealed record ReturnRecord(
    string Jid,
    string MinionId,
    string Function,
    object? Return,
    int Retcode,
    bool Success,
    DateTimeOffset StartedAt,
    double DurationMs,
    string OutputHint = "");
