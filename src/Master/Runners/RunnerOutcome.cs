namespace Orchestrator.Master.Runners;

/// <summary>What a runner call returned, and the jid it ran under.</summary>
public sealed record RunnerOutcome(string Jid, object? Return);
