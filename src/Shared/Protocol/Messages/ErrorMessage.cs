using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: a request was refused.</summary>
[MessagePackObject]
public sealed class ErrorMessage
{
    /// <summary>Why.</summary>
    [Key(0)]
    public string Message { get; set; } = string.Empty;
}
