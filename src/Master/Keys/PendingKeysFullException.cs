namespace Orchestrator.Master.Keys;

/// <summary>A new minion's key was not stored: <c>max_pending_keys</c> keys already wait for the operator.</summary>
public sealed class PendingKeysFullException(int max) : Exception($"too many pending keys ({max}): ask the operator to review them")
{
    public int Max { get; } = max;
}
