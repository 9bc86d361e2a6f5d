using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master after authenticating: start-up announcement with grains.</summary>
[MessagePackObject]
public sealed class MinionStart
{
    /// <summary>The minion's grains.</summary>
    [Key(0)]
    public Dictionary<string, object?> Grains { get; set; } = new(StringComparer.Ordinal);
}
