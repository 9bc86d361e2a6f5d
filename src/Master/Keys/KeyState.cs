namespace Orchestrator.Master.Keys;

/// <summary>Where a minion key stands, as salt-key shows it.</summary>
public enum KeyState
{
    Pending,
    Accepted,
    Rejected,
    Denied,
}
