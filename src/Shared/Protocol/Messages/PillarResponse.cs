using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: this minion's pillar.</summary>
[MessagePackObject]
public sealed class PillarResponse
{
    /// <summary>The compiled pillar.</summary>
    [Key(0)]
    public Dictionary<string, object?> Pillar { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Render errors, naming files.</summary>
    [Key(1)]
    public List<string> Errors { get; set; } = [];
}
