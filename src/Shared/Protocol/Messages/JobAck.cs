using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: the publish of a job was received (stops re-sends).</summary>
[MessagePackObject]
public sealed class JobAck
{
    /// <summary>The job id.</summary>
    [Key(0)]
    public string Jid { get; set; } = string.Empty;
}
