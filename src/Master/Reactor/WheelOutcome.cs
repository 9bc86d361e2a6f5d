namespace Orchestrator.Master.Reactor;

/// <summary>A wheel call's jid, return, and whether it succeeded.</summary>
public sealed record WheelOutcome(string Jid, object? Return, bool Success);
