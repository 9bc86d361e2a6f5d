using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: mine data, <c>{minion: data}</c> or <c>{fun: {minion: data}}</c> as asked.</summary>
[MessagePackObject]
public sealed class MineGetResponse
{
    /// <summary>The data.</summary>
    [Key(0)]
    public Dictionary<string, object?> Data { get; set; } = new(StringComparer.Ordinal);
}
