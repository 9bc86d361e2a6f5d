using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: liveness.</summary>
[MessagePackObject]
public sealed class Heartbeat
{
    /// <summary>How many jobs the minion is running.</summary>
    [Key(0)]
    public int RunningJobs { get; set; }
}
