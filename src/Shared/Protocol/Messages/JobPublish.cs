using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>A job as published to minions.</summary>
[MessagePackObject]
public sealed class JobPublish
{
    /// <summary>The job id (sortable timestamp).</summary>
    [Key(0)]
    public string Jid { get; set; } = string.Empty;

    /// <summary>The function to run, module.function.</summary>
    [Key(1)]
    public string Function { get; set; } = string.Empty;

    /// <summary>Positional arguments.</summary>
    [Key(2)]
    public List<object?> Args { get; set; } = [];

    /// <summary>Keyword arguments.</summary>
    [Key(3)]
    public Dictionary<string, object?> Kwargs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The target expression.</summary>
    [Key(4)]
    public string Target { get; set; } = string.Empty;

    /// <summary>glob, list, pcre, grain, grain_pcre, pillar, pillar_pcre, ipcidr, nodegroup or compound.</summary>
    [Key(5)]
    public string TargetType { get; set; } = string.Empty;

    /// <summary>Who published it.</summary>
    [Key(6)]
    public string User { get; set; } = string.Empty;

    /// <summary>Seconds the master waits for returns.</summary>
    [Key(7)]
    public int Timeout { get; set; }

    /// <summary>The master's nodegroups, for nodegroup and N@ targets.</summary>
    [Key(8)]
    public Dictionary<string, object?> Nodegroups { get; set; } = new(StringComparer.Ordinal);
}
