using System.Globalization;
using System.Text;

namespace Orchestrator.Bench.Events;

/// <summary>The tables <c>orch-bench --events</c> prints at the end (markdown, as in bench/README.md).</summary>
public static class EventsReport
{
    public static string Throughput(IReadOnlyList<ThroughputResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("Event bus throughput (simulated minions -> orch-master -> IPC subscribers on bench/load/*):");
        text.AppendLine();
        text.AppendLine("| subscribers | minions x events | acked / sent | refused / timed out / unsent | send time (s) | acked events/s | received events/s per subscriber (median / slowest) | lost per subscriber (median / worst) | lost in total | delivery latency p50 / p99 (ms, subscriber 1) | master CPU (s) | master peak RSS (MB) | swarm CPU (s) | subscribers' CPU (s) | error |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            var rates = r.ReceivedPerSecond.ToList();
            var lost = r.Lost.Select(l => (double)l).ToList();
            text.AppendLine(Inv($"| {r.Subscribers} | {r.Minions} x {r.EventsPerMinion:N0} | {r.Acked:N0} / {r.Sent:N0} | {r.Refused} / {r.TimedOut} / {r.Unsent} | {r.SendSeconds:F2} | {r.SentPerSecond:N0} | {Median(rates):N0} / {(rates.Count > 0 ? rates.Min() : 0):N0} | {Median(lost):N0} / {(lost.Count > 0 ? lost.Max() : 0):N0} | {r.Lost.Sum():N0} | {ThroughputResult.Percentile(r.LatenciesMs, 50):F1} / {ThroughputResult.Percentile(r.LatenciesMs, 99):F1} | {r.MasterCpuSeconds:F1} | {r.MasterPeakRssKb / 1024.0:F0} | {r.SwarmCpuSeconds:F1} | {r.SubscriberCpuSeconds:F1} | {r.Error} |"));
        }
        text.AppendLine();
        foreach (var r in results)
        {
            text.AppendLine(Inv($"master CPU by thread, {r.Subscribers} subscriber(s) (whole run): {r.MasterThreads}"));
        }
        return text.ToString();
    }

    public static string Reactor(ReactorResult r)
    {
        var text = new StringBuilder();
        text.AppendLine(Inv($"Reactor latency ({r.Events} events after {r.Warmup} not measured, one at a time; {r.Missed} missed): event handed to a simulated minion -> reactor local.cmd.run on a real orch-minion:"));
        text.AppendLine(r.LoadRequested > 0
            ? Inv($"bus under load: {r.LoadRequested:N0} events/s asked for, {r.LoadAckedPerSecond:N0}/s acked ({r.LoadAcked:N0} events, {r.LoadFailed} failed); {r.AfterLoad} samples not counted (taken after the load ended)")
            : "idle bus (no other events)");
        text.AppendLine();
        text.AppendLine("| clock stops at | samples | median (ms) | p99 (ms) | min (ms) | max (ms) |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|");
        Row(text, "job published: salt/job/<jid>/new on the bus", r.JobNewMs);
        Row(text, "marker file created by cmd.run (inotify)", r.MarkerMs);
        Row(text, "return stored: salt/job/<jid>/ret/<target> on the bus", r.JobReturnMs);
        text.AppendLine();
        text.AppendLine(Inv($"master CPU {r.MasterCpuSeconds:F1} s, peak RSS {r.MasterPeakRssKb / 1024.0:F0} MB; orch-minion CPU {r.MinionCpuSeconds:F1} s, peak RSS {r.MinionPeakRssKb / 1024.0:F0} MB{(r.Error is null ? "" : $"; error: {r.Error}")}"));
        return text.ToString();
    }

    private static void Row(StringBuilder text, string what, IReadOnlyList<double> ms) =>
        text.AppendLine(Inv($"| {what} | {ms.Count} | {Median(ms):F1} | {ThroughputResult.Percentile(ms, 99):F1} | {(ms.Count > 0 ? ms.Min() : double.NaN):F1} | {(ms.Count > 0 ? ms.Max() : double.NaN):F1} |"));

    public static double Median(IReadOnlyList<double> values) => ThroughputResult.Percentile(values, 50);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
