using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: mine data to store under the sending minion (the session's id; the body names no minion).</summary>
[MessagePackObject]
public sealed class MineUpdate
{
    /// <summary>Function name or alias → its return, or Salt's ACL wrapper (<c>__saltmine_acl__</c>, <c>__data__</c>, <c>allow_tgt</c>).</summary>
    [Key(0)]
    public Dictionary<string, object?> Data { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Replace the minion's whole mine with <see cref="Data"/> instead of merging it in (Salt's <c>clear</c>).</summary>
    [Key(1)]
    public bool Clear { get; set; }
}
