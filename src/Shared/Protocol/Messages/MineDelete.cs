using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: delete one function (or alias) from the sending minion's mine.</summary>
[MessagePackObject]
public sealed class MineDelete
{
    /// <summary>The function name or alias.</summary>
    [Key(0)]
    public string Function { get; set; } = string.Empty;
}
