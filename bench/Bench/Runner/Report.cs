using System.Globalization;
using System.Text;

namespace Orchestrator.Bench.Runner;

/// <summary>Prints the figures as plain-text tables (Markdown-compatible, so they can be pasted into the README).</summary>
public static class Report
{
    public static string Render(IReadOnlyList<SizeResult> sizes, ProcessProbes.Results? probes, string header)
    {
        var b = new StringBuilder();
        b.AppendLine(header);
        b.AppendLine();
        Table(b,
            ["minions", "auth all (s)", "ping median (ms)", "ping p99 (ms)", "samples", "jobs", "jobs/s", "returns/s",
             "master CPU s (auth/ping/jobs/total)", "master peak RSS (MB)", "re-sends", "inbound pauses", "re-send rounds deferred"],
            sizes.Select(r => new[]
            {
                N(r.Minions),
                F(r.AuthSeconds, 1),
                F(r.Percentile(50), 1),
                F(r.Percentile(99), 1),
                r.LatencyFailures > 0 ? $"{r.LatenciesMs.Count} (+{r.LatencyFailures} incomplete)" : N(r.LatenciesMs.Count),
                N(r.Jobs),
                r.ThroughputComplete ? F(r.JobsPerSecond, 1) : (r.Jobs > 0 ? $"{F(r.JobsPerSecond, 1)} (incomplete)" : "-"),
                F(r.ReturnsPerSecond, 0),
                $"{F(r.MasterCpuAuth, 1)} / {F(r.MasterCpuLatency, 1)} / {F(r.MasterCpuThroughput, 1)} / {F(r.MasterCpuTotal, 1)}",
                F(r.MasterPeakRssKb / 1024.0, 0),
                N(r.Republished),
                N(r.InboundPaused),
                N(r.ResendRoundsDeferred),
            }).ToList());
        b.AppendLine();
        b.AppendLine("Swarm side (all simulated minions of a size, summed):");
        b.AppendLine();
        Table(b,
            ["minions", "swarm procs", "swarm CPU (s)", "publishes recv", "acks sent", "returns sent", "return acks",
             "late return acks", "returns re-sent", "auth retries", "dropped (forged/replay/undecodable/stale)", "master drops", "error"],
            sizes.Select(r => new[]
            {
                N(r.Minions),
                N(r.Shards),
                F(r.SwarmCpu, 1),
                N(S(r, "publishes_received")),
                N(S(r, "job_acks_sent")),
                N(S(r, "returns_sent")),
                N(S(r, "return_acks")),
                N(S(r, "late_return_acks")),
                N(S(r, "returns_resent")),
                N(S(r, "auth_retries")),
                $"{S(r, "publishes_forged")}/{S(r, "publishes_replayed")}/{S(r, "publishes_undecodable")}/{S(r, "publishes_stale_key")}",
                N(r.MasterDropped),
                r.Error ?? "",
            }).ToList());
        if (probes is not null)
        {
            b.AppendLine();
            b.AppendLine("Real processes:");
            b.AppendLine();
            var rows = new List<string[]>();
            foreach (var start in probes.MinionStarts)
            {
                rows.Add([$"orch-minion: exec -> authenticated, {start.Kind}", $"{F(start.Seconds * 1000, 0)} ms"]);
            }
            if (probes.MinionIdleRssKb > 0)
            {
                rows.Add(["orch-minion: idle RSS / PSS (5 s after auth) / peak RSS",
                    $"{F(probes.MinionIdleRssKb / 1024.0, 1)} MB / {F(probes.MinionIdlePssKb / 1024.0, 1)} MB / {F(probes.MinionPeakRssKb / 1024.0, 1)} MB"]);
                rows.Add([$"orch-minion: RSS / PSS after {probes.MinionJobs} test.ping jobs (25 s later)",
                    $"{F(probes.MinionAfterJobsRssKb / 1024.0, 1)} MB / {F(probes.MinionAfterJobsPssKb / 1024.0, 1)} MB"]);
                rows.Add(["orch-minion: CPU time for start-up + 5 s idle", $"{F(probes.MinionIdleCpuSeconds, 2)} s"]);
            }
            if (probes.CliVersionMs.Count > 0)
            {
                rows.Add([$"orch --version: wall time, median of {probes.CliVersionMs.Count} (min {F(probes.CliVersionMs.Min(), 0)})",
                    $"{F(ProcessProbes.Median(probes.CliVersionMs), 0)} ms"]);
            }
            if (probes.Error is not null)
            {
                rows.Add(["probe error", probes.Error]);
            }
            Table(b, ["what", "figure"], rows);
        }
        return b.ToString();
    }

    private static long S(SizeResult r, string key) => r.Swarm.GetValueOrDefault(key);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value, int decimals) =>
        double.IsNaN(value) ? "-" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void Table(StringBuilder b, string[] headers, List<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        b.AppendLine("| " + string.Join(" | ", headers.Select((h, i) => h.PadRight(widths[i]))) + " |");
        b.AppendLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : "-" + new string('-', w) + ":")) + "|");
        foreach (var row in rows)
        {
            b.AppendLine("| " + string.Join(" | ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |");
        }
    }
}
