using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: the mine data of function(s) for the minions a target selects (Salt's <c>_mine_get</c> load).</summary>
[MessagePackObject]
public sealed class MineGetRequest
{
    /// <summary>The target (Salt's <c>tgt</c>).</summary>
    [Key(0)]
    public string Target { get; set; } = string.Empty;

    /// <summary>Function names or aliases; more than one (or a list given by the caller) nests the answer by function.</summary>
    [Key(1)]
    public List<string> Functions { get; set; } = [];

    /// <summary>Whether the answer is <c>{fun: {minion: data}}</c> (several functions, or a list) rather than <c>{minion: data}</c>.</summary>
    [Key(2)]
    public bool ByFunction { get; set; }

    /// <summary>Salt's <c>tgt_type</c> (glob by default).</summary>
    [Key(3)]
    public string TargetType { get; set; } = "glob";
}
