namespace Orchestrator.Master.Jobs;

/// <summary>
/// Decides which unacknowledged publishes a re-send round sends again, and to whom. The rules keep a loaded master from
/// burying itself under its own re-sends:
/// <list type="bullet">
/// <item>the first re-send waits one retry interval per thousand expected minions, since a publish to N minions takes time
/// proportional to N before all their acks can be back, and at least twice the recent (smoothed) ack latency, which grows
/// when the master is behind;</item>
/// <item>later ones back off exponentially, up to 16 intervals;</item>
/// <item>a round re-sends only a minion's oldest unacknowledged job. Publishes reach a minion in order, so when even the
/// oldest has not been acknowledged, the path to it is slow (or the minion is gone), and re-sending the later ones too
/// would only deepen the queue in front of it. They follow, one per round, as the older ones are acknowledged;</item>
/// <item>a catch-up for one minion (it just reconnected) re-sends all its unacknowledged jobs at once.</item>
/// </list>
/// </summary>
public static class ResendPlanner
{
    private const int MaxBackoffShift = 4;

    /// <summary>
    /// Returns the (minion, job) pairs to re-send now, records the attempt and the next due time on each job, and removes
    /// jobs past their deadline from <paramref name="active"/>. With <paramref name="only"/>, plans a catch-up for that minion.
    /// <paramref name="firstResendFloor"/> is the least wait before a job's first re-send.
    /// </summary>
    public static List<(string Minion, ActiveJob Job)> Plan(
        IDictionary<string, ActiveJob> active, DateTimeOffset now, TimeSpan retryInterval, string? only = null,
        TimeSpan firstResendFloor = default)
    {
        var sends = new List<(string Minion, ActiveJob Job)>();
        var behind = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in active.Values.OrderBy(j => j.Started).ThenBy(j => j.Job.Jid, StringComparer.Ordinal).ToList())
        {
            if (now > job.Deadline)
            {
                active.Remove(job.Job.Jid);
                continue;
            }
            if (job.Pending.Count == 0)
            {
                continue;
            }
            var firstDue = job.Started + FirstResendDelay(job, retryInterval, firstResendFloor);
            if (only is null && job.Resends.Count == 0 && now < firstDue)
            {
                // Too young for its first re-send: nothing to do, and no need to walk its minions (a burst of jobs to
                // thousands of minions would otherwise cost a walk over every pending pair every round, under the lock).
                continue;
            }
            IEnumerable<string> minions = only is null ? job.Pending : job.Pending.Contains(only) ? [only] : [];
            foreach (var minion in minions)
            {
                if (only is null && !behind.Add(minion))
                {
                    continue;
                }
                var (attempts, due) = job.Resends.GetValueOrDefault(minion, (0, firstDue));
                if (only is null && now < due)
                {
                    continue;
                }
                job.Resends[minion] = (attempts + 1, now + retryInterval * (1 << Math.Min(attempts + 1, MaxBackoffShift)));
                sends.Add((minion, job));
            }
        }
        return sends;
    }

    /// <summary>
    /// How long to wait for acks before the first re-send: one retry interval per thousand expected minions, and no less
    /// than <paramref name="floor"/>.
    /// </summary>
    public static TimeSpan FirstResendDelay(ActiveJob job, TimeSpan retryInterval, TimeSpan floor = default)
    {
        var bySize = retryInterval * Math.Max(1, (job.Expected.Count + 999) / 1000);
        return bySize > floor ? bySize : floor;
    }
}
