namespace Orchestrator.Master.Runners;

/// <summary>What a runner call returned, its retcode (0: success), and the jid it ran under.</summary>
public sealed record RunnerOutcome(string Jid, object? Return, int Retcode = 0, string? Outputter = null);
