namespace Orchestrator.Master.Orchestration;

/// <summary>One minion's answer to an orchestration step's job, as Salt's <c>saltutil.cmd</c> gives it.</summary>
/// <param name="Failed">The minion did not return (down, or silent past the timeout).</param>
public sealed record MinionReturn(string Jid, object? Return, long Retcode, bool Failed, string? Outputter);
