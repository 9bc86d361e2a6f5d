using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: an event for the master's bus.</summary>
[MessagePackObject]
public sealed class EventFire
{
    /// <summary>The event tag.</summary>
    [Key(0)]
    public string Tag { get; set; } = string.Empty;

    /// <summary>The event data.</summary>
    [Key(1)]
    public Dictionary<string, object?> Data { get; set; } = new(StringComparer.Ordinal);
}
