using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: compile my pillar.</summary>
[MessagePackObject]
public sealed class PillarRequest
{
    /// <summary>Environment name.</summary>
    [Key(0)]
    public string Saltenv { get; set; } = string.Empty;

    /// <summary>Pillar values given on the command line, merged last.</summary>
    [Key(1)]
    public Dictionary<string, object?> Override { get; set; } = new(StringComparer.Ordinal);
}
