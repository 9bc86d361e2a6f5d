using System.Globalization;
using System.Text;

namespace Orchestrator.Bench.Soak;

/// <summary>The soak's printed report: the memory table, the accounting summary, findings and the first of each kind of problem.</summary>
public static class SoakReport
{
    private const int MaxTableRows = 30;

    public static string Mb(long kb) => kb <= 0 ? "-" : (kb / 1024.0).ToString("F1", CultureInfo.InvariantCulture);

    public static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes:D2}:{t.Seconds:D2}";

    public static string Render(
        string header, SoakCluster cluster, SoakLedger ledger, MemorySampler sampler, AuditResult audit)
    {
        var text = new StringBuilder();
        void Line(FormattableString s) => text.AppendLine(s.ToString(CultureInfo.InvariantCulture));
        text.AppendLine(header);
        text.AppendLine();
        text.AppendLine("| time | master RSS (MB) | master # | minion RSS min / max (MB) | fds master / minion max | swarm RSS (MB) | jobs | returns stored | pending | lost | killed mid-job | ran twice | chaos actions |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in Thin(sampler.Samples()))
        {
            var up = s.MinionRssKb.Where(k => k > 0).ToList();
            Line($"| {Clock(s.Elapsed)} | {Mb(s.MasterRssKb)} | {s.MasterIncarnation} | {(up.Count > 0 ? $"{Mb(up.Min())} / {Mb(up.Max())}" : "-")} | {s.MasterFds} / {s.MinionFdsMax} | {Mb(s.SwarmRssKb)} | {s.Jobs} | {s.Stored} | {s.Pending} | {s.Lost} | {s.KilledMidJob} | {s.RanTwice} | {s.ChaosActions} |");
        }
        text.AppendLine();
        text.AppendLine("| what | figure |");
        text.AppendLine("| --- | ---: |");
        Line($"| jobs published: test.ping / cmd.run / test.sleep / recovery probes / swarm test.ping | {audit.Jobs(JobKind.Ping)} / {audit.Jobs(JobKind.Cmd)} / {audit.Jobs(JobKind.Sleep)} / {audit.Jobs(JobKind.Probe)} / {audit.Jobs(JobKind.Swarm)} |");
        Line($"| returns expected from the real minions | {audit.Expected} |");
        Line($"| stored in the job cache | {audit.Stored} |");
        Line($"| killed mid-job (started on a minion SIGKILLed before its return was saved: none is due) | {audit.KilledMidJob} |");
        Line($"| **lost** (goal 0) | **{audit.Lost}** |");
        if (audit.Pending > 0)
        {
            Line($"| still pending when the run ended (interrupted, or the master lost) | {audit.Pending} |");
        }
        Line($"| cmd.run pairs: ran exactly once / **ran twice or more** / returned without running | {audit.RanOnce} / **{audit.RanTwice}** / {audit.ReturnedWithoutRunning} |");
        Line($"| stored returns with success false | {audit.Failed} |");
        if (audit.SwarmExpected > 0)
        {
            Line($"| swarm returns expected / stored / lost{(audit.SwarmPending > 0 ? " / pending" : "")} | {audit.SwarmExpected} / {audit.SwarmStored} / {audit.SwarmLost}{(audit.SwarmPending > 0 ? $" / {audit.SwarmPending}" : "")} |");
        }
        Line($"| publishes the master did not answer: found in the job cache by token / not published | {audit.PublishesFoundByToken} / {audit.PublishesFailed} |");
        var actions = ledger.Actions();
        int Count(string a) => actions.Count(x => x.Action == a);
        Line($"| chaos: master SIGTERM restarts / master SIGKILL restarts / master SIGSTOP freezes / minion SIGKILLs | {Count("master-term")} / {Count("master-kill")} / {Count("master-stop")} / {Count("minion-kill")} |");
        foreach (var group in actions.GroupBy(a => a.Action).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var times = group.Where(a => a.RecoverySeconds is not null).Select(a => a.RecoverySeconds!.Value).Order().ToList();
            var failed = group.Count(a => a.RecoverySeconds is null);
            Line($"| after {group.Key}: every real minion answers again, median / max (s){(failed > 0 ? "; did not" : "")} | {(times.Count > 0 ? $"{times[times.Count / 2]:F1} / {times[^1]:F1}" : "-")}{(failed > 0 ? $"; {failed}" : "")} |");
        }
        MemoryRows(text, sampler, cluster);
        var unclean = cluster.Daemons.Sum(d => d.UncleanExits.Count);
        Line($"| daemon exits other than 0 after SIGTERM / lines on the daemons' consoles | {unclean} / {cluster.Daemons.Sum(d => d.ConsoleLines)} |");
        Section(text, "Findings", ledger.Findings());
        if (audit.LostReasons.Count > 0)
        {
            Section(text, "Lost, by reason", audit.LostReasons.Select(kv => $"{kv.Value}: {kv.Key}").ToList());
        }
        Section(text, "Lost (first 25)", audit.LostDetails);
        Section(text, "Ran twice, or returned without running (first 25)", audit.TwiceDetails);
        Section(text, "Killed mid-job (first 25)", audit.KilledDetails);
        Section(text, "Failed returns (first 25)", audit.FailedDetails);
        return text.ToString();
    }

    private static void MemoryRows(StringBuilder text, MemorySampler sampler, SoakCluster cluster)
    {
        void Line(FormattableString s) => text.AppendLine(s.ToString(CultureInfo.InvariantCulture));
        var series = sampler.Series();
        var samples = sampler.Samples();
        var masterPoints = series.Where(kv => kv.Key.Daemon == cluster.Master.Name).OrderBy(kv => kv.Key.Incarnation).SelectMany(kv => kv.Value).ToList();
        if (masterPoints.Count > 0)
        {
            Line($"| master RSS: first / last / peak (VmHWM) (MB) | {Mb(masterPoints[0].RssKb)} / {Mb(masterPoints[^1].RssKb)} / {Mb(sampler.PeakKb(cluster.Master.Name))} |");
            Line($"| master incarnations (restarts + 1) | {cluster.Master.Incarnation} |");
            var (label, value) = Growth(series.Where(kv => kv.Key.Daemon == cluster.Master.Name));
            Line($"| master RSS growth, longest incarnation {label} | {value} |");
        }
        var first = samples.FirstOrDefault(s => s.MinionRssKb.All(k => k > 0));
        var last = samples.LastOrDefault(s => s.MinionRssKb.All(k => k > 0));
        if (first is not null && last is not null)
        {
            var peak = cluster.Minions.Max(m => sampler.PeakKb(m.Daemon.Name));
            Line($"| minion RSS: first min / max, last min / max, peak (MB) | {Mb(first.MinionRssKb.Min())} / {Mb(first.MinionRssKb.Max())}, {Mb(last.MinionRssKb.Min())} / {Mb(last.MinionRssKb.Max())}, {Mb(peak)} |");
            var names = cluster.Minions.Select(m => m.Daemon.Name).ToHashSet(StringComparer.Ordinal);
            var (label, value) = Growth(series.Where(kv => names.Contains(kv.Key.Daemon)));
            Line($"| minion RSS growth, longest incarnation {label} | {value} |");
        }
        if (samples.Count > 0)
        {
            Line($"| open descriptors: master first / last / max, minions max first / last / max | {samples[0].MasterFds} / {samples[^1].MasterFds} / {samples.Max(s => s.MasterFds)}, {samples[0].MinionFdsMax} / {samples[^1].MinionFdsMax} / {samples.Max(s => s.MinionFdsMax)} |");
        }
        if (samples.Any(s => s.SwarmRssKb > 0))
        {
            Line($"| swarm process RSS first / last (MB) | {Mb(samples.First(s => s.SwarmRssKb > 0).SwarmRssKb)} / {Mb(samples.Last(s => s.SwarmRssKb > 0).SwarmRssKb)} |");
        }
    }

    /// <summary>
    /// Least-squares slope of RSS over the longest incarnation, leaving out its first two minutes (start-up, JIT, caches
    /// filling), and over its second half alone (a curve that flattens shows there): ("(name #n, 25 min)", "+1.2 MB/h ..."),
    /// or "n/a" when it lived too short to say.
    /// </summary>
    private static (string Label, string Value) Growth(IEnumerable<KeyValuePair<(string Daemon, int Incarnation), List<(double Hours, long RssKb)>>> series)
    {
        var longest = series.Select(kv => (kv.Key, Points: kv.Value))
            .Where(s => s.Points.Count > 0)
            .OrderByDescending(s => s.Points[^1].Hours - s.Points[0].Hours)
            .FirstOrDefault();
        if (longest.Points is null)
        {
            return ("", "n/a");
        }
        var span = longest.Points[^1].Hours - longest.Points[0].Hours;
        var warm = longest.Points.Where(p => p.Hours - longest.Points[0].Hours >= 2.0 / 60).ToList();
        var label = string.Create(CultureInfo.InvariantCulture, $"({longest.Key.Daemon} #{longest.Key.Incarnation}, {span * 60:F0} min; from its 3rd minute)");
        if (warm.Count < 3 || warm[^1].Hours - warm[0].Hours < 5.0 / 60)
        {
            return (label, "n/a (lived too short)");
        }
        var late = warm.Where(p => p.Hours >= (warm[0].Hours + warm[^1].Hours) / 2).ToList();
        return (label, string.Create(CultureInfo.InvariantCulture,
            $"{Slope(warm):+0.0;-0.0} MB/h ({warm[0].RssKb / 1024.0:F1} -> {warm[^1].RssKb / 1024.0:F1} MB over {warm.Count} samples); " +
            $"second half {(late.Count >= 3 ? $"{Slope(late):+0.0;-0.0} MB/h" : "n/a")}"));
    }

    /// <summary>Least-squares slope in MB per hour.</summary>
    private static double Slope(List<(double Hours, long RssKb)> points)
    {
        var meanX = points.Average(p => p.Hours);
        var meanY = points.Average(p => p.RssKb / 1024.0);
        var num = points.Sum(p => (p.Hours - meanX) * (p.RssKb / 1024.0 - meanY));
        var den = points.Sum(p => (p.Hours - meanX) * (p.Hours - meanX));
        return den > 0 ? num / den : 0;
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine($"{title}:");
        foreach (var line in lines)
        {
            text.AppendLine($"- {line}");
        }
    }

    /// <summary>At most <see cref="MaxTableRows"/> rows, evenly spread, always with the first and the last.</summary>
    private static IEnumerable<MemorySample> Thin(IReadOnlyList<MemorySample> samples)
    {
        if (samples.Count <= MaxTableRows)
        {
            return samples;
        }
        return Enumerable.Range(0, MaxTableRows).Select(i => samples[(int)Math.Round(i * (samples.Count - 1) / (double)(MaxTableRows - 1))]).Distinct();
    }
}
