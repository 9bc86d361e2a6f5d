using System.Diagnostics;
using Orchestrator.Bench.Runner;
using Orchestrator.Bench.Swarm;

namespace Orchestrator.Bench.Events;

/// <summary>
/// Event bus throughput: a fresh master, N simulated minions each firing M sealed <c>EventFire</c> requests, S IPC
/// subscribers on <c>bench/load/*</c>. The send clock runs from the fire command to the last ack (in the swarm
/// processes); each subscriber's clock from the fire command to its last event. Subscribers stop once each has every
/// acked event or none has received anything for <see cref="Quiet"/>.
/// </summary>
public sealed class EventThroughputBenchmark(EventsOptions options, string binDirectory, Action<string> log)
{
    public const string TagPrefix = "bench/load";
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    public async Task<ThroughputResult> RunAsync(int subscribers, CancellationToken cancellationToken)
    {
        var result = new ThroughputResult { Minions = options.Minions, EventsPerMinion = options.EventsPerMinion, Subscribers = subscribers };
        var root = Path.Combine(options.Bench.WorkDirectory, $"events-s{subscribers}");
        await using var master = await MasterProcess.StartAsync(binDirectory, root, options.Bench, cancellationToken).ConfigureAwait(false);
        var subs = new List<EventSubscriber>();
        try
        {
            await using var fleet = await SwarmFleet.StartAsync(master, options.Minions, options.Bench, log, cancellationToken)
                .ConfigureAwait(false);
            for (var i = 0; i < subscribers; i++)
            {
                subs.Add(await EventSubscriber.StartAsync(master.SocketPath, $"{TagPrefix}/*", recordLatency: i == 0, cancellationToken)
                    .ConfigureAwait(false));
            }
            log($"  {subscribers} subscriber(s) on {TagPrefix}/*; firing {options.Minions} x {options.EventsPerMinion} events " +
                $"({(options.Rate > 0 ? $"{options.Rate} events/s per minion" : "as fast as acks allow")}, window {options.Window})");
            var masterBefore = master.Stats();
            var swarmBefore = fleet.CpuSeconds;
            var selfBefore = ProcStats.Read(Environment.ProcessId).CpuSeconds;
            var start = Stopwatch.GetTimestamp();
            var load = new EventLoad(options.EventsPerMinion, options.Rate, options.Window, TagPrefix, 0);
            // Generous: the slowest acceptable pace is 200 events/s overall.
            var limit = TimeSpan.FromSeconds(60 + (double)options.Minions * options.EventsPerMinion / 200);
            var reports = await fleet.FireAsync(load, limit, cancellationToken).ConfigureAwait(false);
            result.Sent = reports.Sum(r => r.GetValueOrDefault("events_sent"));
            result.Acked = reports.Sum(r => r.GetValueOrDefault("events_acked"));
            result.Refused = reports.Sum(r => r.GetValueOrDefault("events_refused"));
            result.TimedOut = reports.Sum(r => r.GetValueOrDefault("events_timed_out"));
            result.Unsent = reports.Sum(r => r.GetValueOrDefault("events_unsent"));
            result.SendSeconds = reports.Max(r => r.GetValueOrDefault("elapsed_ms")) / 1000.0;
            log($"  sent {result.Sent:N0}, acked {result.Acked:N0} in {result.SendSeconds:F2}s ({result.SentPerSecond:N0}/s); " +
                $"refused {result.Refused}, timed out {result.TimedOut}, unsent {result.Unsent}");
            await DrainAsync(subs, result.Acked, cancellationToken).ConfigureAwait(false);
            var masterAfter = master.Stats();
            result.MasterCpuSeconds = masterAfter.CpuSeconds - masterBefore.CpuSeconds;
            result.MasterPeakRssKb = masterAfter.PeakRssKb;
            result.SwarmCpuSeconds = fleet.CpuSeconds - swarmBefore;
            result.SubscriberCpuSeconds = ProcStats.Read(Environment.ProcessId).CpuSeconds - selfBefore;
            result.MasterThreads = string.Join(", ", ProcStats.Threads(master.Pid).Take(5).Select(t => $"{t.Name} {t.CpuSeconds:F1}s"));
            foreach (var sub in subs)
            {
                var seconds = sub.LastTimestamp == 0 ? 0 : Stopwatch.GetElapsedTime(start, sub.LastTimestamp).TotalSeconds;
                result.PerSubscriber.Add((sub.Received, seconds));
            }
            log($"  received per subscriber: min {subs.Min(s => s.Received):N0}, max {subs.Max(s => s.Received):N0}; " +
                $"master CPU {result.MasterCpuSeconds:F1}s ({result.MasterThreads})");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Error = e.Message;
            log($"  {e.GetType().Name}: {e.Message}");
            result.MasterPeakRssKb = master.Stats().PeakRssKb;
        }
        finally
        {
            foreach (var sub in subs)
            {
                await sub.DisposeAsync().ConfigureAwait(false);
                if (sub.Error is { } error)
                {
                    result.Error ??= $"a subscriber's stream failed: {error.Message}";
                }
            }
            if (subs.Count > 0)
            {
                result.LatenciesMs = [.. subs[0].LatenciesMs];
            }
        }
        return result;
    }

    /// <summary>Waits until every subscriber has <paramref name="expected"/> events, or none has had one for <see cref="Quiet"/>.</summary>
    private static async Task DrainAsync(List<EventSubscriber> subs, long expected, CancellationToken cancellationToken)
    {
        var since = Stopwatch.GetTimestamp();
        while (subs.Any(s => s.Received < expected))
        {
            if (Stopwatch.GetElapsedTime(Math.Max(since, subs.Max(s => s.LastTimestamp))) > Quiet)
            {
                return;
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }
}
