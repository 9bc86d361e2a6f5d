using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: the return of a job is stored.</summary>
[MessagePackObject]
public sealed class ReturnAck
{
    /// <summary>The job id.</summary>
    [Key(0)]
    public string Jid { get; set; } = string.Empty;
}
