namespace Orchestrator.Bench.Runner;

/// <summary>The figures of one swarm size.</summary>
public sealed class SizeResult
{
    public int Minions { get; init; }
    public int Shards { get; set; }
    public double AuthSeconds { get; set; }
    public List<double> LatenciesMs { get; } = [];
    public int LatencyFailures { get; set; }
    public int Jobs { get; set; }
    public double ThroughputSeconds { get; set; }
    public double PublishSeconds { get; set; }
    public long ThroughputReturns { get; set; }
    public bool ThroughputComplete { get; set; }
    public double MasterCpuAuth { get; set; }
    public double MasterCpuLatency { get; set; }
    public double MasterCpuThroughput { get; set; }
    public double MasterCpuTotal { get; set; }
    public long MasterPeakRssKb { get; set; }
    public long MasterRssIdleKb { get; set; }
    public double MasterStartSeconds { get; set; }
    public long Published { get; set; }
    public long Republished { get; set; }
    public long MasterDropped { get; set; }
    public long InboundPaused { get; set; }
    public long ResendRoundsDeferred { get; set; }
    public double SwarmCpu { get; set; }
    public Dictionary<string, long> Swarm { get; } = new(StringComparer.Ordinal);
    public string? Error { get; set; }

    public double JobsPerSecond => ThroughputSeconds > 0 ? Jobs / ThroughputSeconds : 0;

    public double ReturnsPerSecond => ThroughputSeconds > 0 ? ThroughputReturns / ThroughputSeconds : 0;

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }
        var sorted = LatenciesMs.Order().ToList();
        // Nearest-rank: with few samples p99 is the slowest one, which is what it should say.
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
