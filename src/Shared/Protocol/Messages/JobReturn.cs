using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: the result of a job.</summary>
[MessagePackObject]
public sealed class JobReturn
{
    /// <summary>The job id.</summary>
    [Key(0)]
    public string Jid { get; set; } = string.Empty;

    /// <summary>The function that ran.</summary>
    [Key(1)]
    public string Function { get; set; } = string.Empty;

    /// <summary>The return value (canonical data model).</summary>
    [Key(2)]
    public object? Return { get; set; }

    /// <summary>0 on success.</summary>
    [Key(3)]
    public int Retcode { get; set; }

    /// <summary>Whether the function succeeded.</summary>
    [Key(4)]
    public bool Success { get; set; }

    /// <summary>Unix milliseconds when the minion started the job.</summary>
    [Key(5)]
    public long StartedAt { get; set; }

    /// <summary>Run time in milliseconds.</summary>
    [Key(6)]
    public double DurationMs { get; set; }

    /// <summary>Outputter the function suggests (highstate for state functions), or empty.</summary>
    [Key(7)]
    public string OutputHint { get; set; } = string.Empty;

    /// <summary>The scheduled job this run belongs to (Salt's <c>schedule</c> field), or empty for a published job.</summary>
    /// <remarks>A scheduled return carries a jid the minion made; the master files it as a job of that minion alone.</remarks>
    [Key(8)]
    public string Schedule { get; set; } = string.Empty;

    /// <summary>A scheduled run's positional arguments (a published job's are in its publish).</summary>
    [Key(9)]
    public List<object?> Args { get; set; } = [];

    /// <summary>A scheduled run's keyword arguments.</summary>
    [Key(10)]
    public Dictionary<string, object?> Kwargs { get; set; } = new(StringComparer.Ordinal);
}
