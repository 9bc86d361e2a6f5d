namespace Orchestrator.Bench.Soak;

/// <summary>
/// One chaos action: what was done (<c>master-kill</c>...), when, how long the daemon was out, and how long until every real
/// minion answered a test.ping again (null when they did not within the bound).
/// </summary>
public sealed record ChaosRecord(string Action, DateTime At, double OutSeconds, double? RecoverySeconds, string Detail);
