namespace Orchestrator.Bench.Events;

/// <summary>What one event-throughput run measured (one fresh master, one subscriber count).</summary>
public sealed class ThroughputResult
{
    public int Minions { get; init; }
    public int EventsPerMinion { get; init; }
    public int Subscribers { get; init; }
    public long Sent { get; set; }
    public long Acked { get; set; }
    public long Refused { get; set; }
    public long TimedOut { get; set; }
    public long Unsent { get; set; }
    /// <summary>From the fire command to the last ack, in the swarm processes' own clocks (the slowest process).</summary>
    public double SendSeconds { get; set; }
    /// <summary>Per subscriber: events received, and seconds from the fire command to its last event.</summary>
    public List<(long Received, double Seconds)> PerSubscriber { get; } = [];
    /// <summary>Delivery latency (sent on the minion -> decoded by subscriber 0), ms.</summary>
    public List<double> LatenciesMs { get; set; } = [];
    public double MasterCpuSeconds { get; set; }
    public long MasterPeakRssKb { get; set; }
    public double SwarmCpuSeconds { get; set; }
    public double SubscriberCpuSeconds { get; set; }
    public string MasterThreads { get; set; } = "";
    public string? Error { get; set; }

    public double SentPerSecond => SendSeconds > 0 ? Acked / SendSeconds : 0;

    /// <summary>Received per second by each subscriber, over its own span (fire command to its last event).</summary>
    public IEnumerable<double> ReceivedPerSecond => PerSubscriber.Select(s => s.Seconds > 0 ? s.Received / s.Seconds : 0);

    /// <summary>Acked events a subscriber did not get (the bus drops the oldest past 10,000 queued per subscriber).</summary>
    public IEnumerable<long> Lost => PerSubscriber.Select(s => Math.Max(0, Acked - s.Received));

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        // Nearest rank.
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
