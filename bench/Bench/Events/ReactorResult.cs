namespace Orchestrator.Bench.Events;

/// <summary>What the reactor-latency run measured; times in ms from handing the event to the simulated minion.</summary>
public sealed class ReactorResult
{
    /// <summary>Event handed to the sending minion -> the marker file the reactor's cmd.run creates is reported by inotify.</summary>
    public List<double> MarkerMs { get; } = [];

    /// <summary>Same start -> the reactor's job's <c>salt/job/&lt;jid&gt;/new</c> on the bus (the master published it).</summary>
    public List<double> JobNewMs { get; } = [];

    /// <summary>Same start -> the job's <c>salt/job/&lt;jid&gt;/ret/&lt;target&gt;</c> on the bus (its return is stored).</summary>
    public List<double> JobReturnMs { get; } = [];

    public int Events { get; set; }
    public int Warmup { get; set; }
    public int Missed { get; set; }

    /// <summary>Background load asked for (events/s in all; 0: idle bus) and what the swarm reported doing.</summary>
    public double LoadRequested { get; set; }
    public double LoadAckedPerSecond { get; set; }
    public long LoadAcked { get; set; }
    public long LoadFailed { get; set; }

    /// <summary>Samples not counted because the background load had ended before they completed.</summary>
    public int AfterLoad { get; set; }
    public double MasterCpuSeconds { get; set; }
    public double MinionCpuSeconds { get; set; }
    public long MasterPeakRssKb { get; set; }
    public long MinionPeakRssKb { get; set; }
    public string? Error { get; set; }
}
