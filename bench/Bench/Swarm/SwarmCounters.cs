namespace Orchestrator.Bench.Swarm;

/// <summary>What the simulated minions of one swarm process did, summed over its loops (Interlocked counters).</summary>
public sealed class SwarmCounters
{
    public long Ready;
    public long AuthRetries;
    public long PublishesReceived;
    public long PublishesForged;
    public long PublishesReplayed;
    public long PublishesUndecodable;
    public long PublishesStaleKey;
    public long NotTargeted;
    public long DuplicateJobs;
    public long JobAcksSent;
    public long ReturnsSent;
    public long ReturnsResent;
    public long ReturnAcks;
    public long LateReturnAcks;
    public long HeartbeatsSent;
    public long RepliesDropped;
    public long SendsRefused;
    public long Reauths;
    public long EventsSent;
    public long EventsUnsent;
    public long EventsAcked;
    public long EventsRefused;
    public long EventsTimedOut;
    public long EventMinionsDone;
    public long EventsLastDoneMs;

    /// <summary>Raises <paramref name="target"/> to <paramref name="value"/> if it is lower (lock-free).</summary>
    public static void Max(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var before = Interlocked.CompareExchange(ref target, value, seen);
            if (before == seen)
            {
                return;
            }
            seen = before;
        }
    }

    public Dictionary<string, long> Snapshot() => new(StringComparer.Ordinal)
    {
        ["ready"] = Interlocked.Read(ref Ready),
        ["auth_retries"] = Interlocked.Read(ref AuthRetries),
        ["publishes_received"] = Interlocked.Read(ref PublishesReceived),
        ["publishes_forged"] = Interlocked.Read(ref PublishesForged),
        ["publishes_replayed"] = Interlocked.Read(ref PublishesReplayed),
        ["publishes_undecodable"] = Interlocked.Read(ref PublishesUndecodable),
        ["publishes_stale_key"] = Interlocked.Read(ref PublishesStaleKey),
        ["not_targeted"] = Interlocked.Read(ref NotTargeted),
        ["duplicate_jobs"] = Interlocked.Read(ref DuplicateJobs),
        ["job_acks_sent"] = Interlocked.Read(ref JobAcksSent),
        ["returns_sent"] = Interlocked.Read(ref ReturnsSent),
        ["returns_resent"] = Interlocked.Read(ref ReturnsResent),
        ["return_acks"] = Interlocked.Read(ref ReturnAcks),
        ["late_return_acks"] = Interlocked.Read(ref LateReturnAcks),
        ["heartbeats_sent"] = Interlocked.Read(ref HeartbeatsSent),
        ["replies_dropped"] = Interlocked.Read(ref RepliesDropped),
        ["sends_refused"] = Interlocked.Read(ref SendsRefused),
        ["reauths"] = Interlocked.Read(ref Reauths),
        ["events_sent"] = Interlocked.Read(ref EventsSent),
        ["events_unsent"] = Interlocked.Read(ref EventsUnsent),
        ["events_acked"] = Interlocked.Read(ref EventsAcked),
        ["events_refused"] = Interlocked.Read(ref EventsRefused),
        ["events_timed_out"] = Interlocked.Read(ref EventsTimedOut),
        ["event_minions_done"] = Interlocked.Read(ref EventMinionsDone),
    };
}
