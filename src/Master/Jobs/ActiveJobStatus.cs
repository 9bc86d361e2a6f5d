namespace Orchestrator.Master.Jobs;

/// <summary>A snapshot of a job inside its timeout: the expected minions still running it and those that returned.</summary>
public sealed record ActiveJobStatus(string Jid, IReadOnlyList<string> Running, IReadOnlyList<string> Returned);
