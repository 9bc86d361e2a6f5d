using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Bench.Runner;
using Orchestrator.Bench.Swarm;
using Orchestrator.Shared.Data;

namespace Orchestrator.Bench.Events;

/// <summary>
/// Reactor latency: the master's <c>reactor:</c> maps <c>bench/reactor/*</c> to an SLS whose <c>local.cmd.run</c> makes a
/// real <c>orch-minion</c> create <c>marker-&lt;seq&gt;</c>. A simulated minion in this process fires one event at a time;
/// the clock runs from handing the event to that minion's loop (which seals and sends it at once) until inotify
/// (<see cref="FileSystemWatcher"/>) reports the marker. The job's <c>new</c> and <c>ret</c> events on the bus are timed
/// from the same start. The next event is fired once the previous one's return has been seen, or has timed out.
/// </summary>
public sealed partial class ReactorLatencyBenchmark(EventsOptions options, string binDirectory, Action<string> log)
{
    public const string TagPrefix = "bench/reactor";
    public const string TargetId = "reactor-target";
    private static readonly TimeSpan MarkerTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReturnTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<long, Sample> _samples = new();

    public async Task<ReactorResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ReactorResult { Events = options.ReactorEvents, Warmup = options.ReactorWarmup, LoadRequested = options.ReactorLoad };
        var root = Path.Combine(options.Bench.WorkDirectory, "reactor");
        var markers = Path.Combine(root, "markers");
        Directory.CreateDirectory(markers);
        KeyCache.Ensure(options.Bench.KeyDirectory, options.ReactorLoad > 0 ? options.Minions + 1 : 1, log);
        var sls = Path.Combine(root, "reactor", "marker.sls");
        Directory.CreateDirectory(Path.GetDirectoryName(sls)!);
        // Salt 3006's reactor SLS form; data is the event's data, data['data'] what the minion sent.
        await File.WriteAllTextAsync(sls, $$$"""
            bench_marker:
              local.cmd.run:
                - tgt: {{{TargetId}}}
                - args:
                  - cmd: touch {{{markers}}}/marker-{{ data['data']['seq'] }}

            """, cancellationToken).ConfigureAwait(false);
        // No storm protection here: the benchmark fires 100+ distinct events in a row on purpose.
        var reactorConfig = $"""
            reactor:
              - '{TagPrefix}/*':
                - {sls}
            reactor_rate_limit:
              count: 0
            reactor_dedup_window: 0

            """;
        await using var master = await MasterProcess.StartAsync(binDirectory, Path.Combine(root, "master"), options.Bench, cancellationToken, reactorConfig)
            .ConfigureAwait(false);
        try
        {
            await using var minion = await RealMinion.StartAsync(binDirectory, master, Path.Combine(root, "minion"), TargetId, cancellationToken)
                .ConfigureAwait(false);
            await using var jobs = await EventSubscriber.StartAsync(master.SocketPath, "salt/job/*", recordLatency: false, cancellationToken, OnJobEvent)
                .ConfigureAwait(false);
            using var watcher = new FileSystemWatcher(markers) { NotifyFilter = NotifyFilters.FileName };
            watcher.Created += (_, e) => OnMarker(e.Name);
            watcher.EnableRaisingEvents = true;
            using var source = await SimEventSource.StartAsync(master, options.Bench, cancellationToken).ConfigureAwait(false);
            log($"  master with reactor {TagPrefix}/* -> {sls}; target {TargetId} (real orch-minion), event source {SimEventSource.Id}");
            // Other simulated minions (swarm-00001 on) load the bus with events the reactor does not match, if asked.
            await using var fleet = options.ReactorLoad > 0
                ? await SwarmFleet.StartAsync(master, options.Minions, options.Bench, log, cancellationToken, first: 1).ConfigureAwait(false)
                : null;
            var masterBefore = master.Stats().CpuSeconds;
            var minionBefore = ProcStats.Read(minion.Pid).CpuSeconds;
            Task<IReadOnlyList<Dictionary<string, long>>>? load = null;
            if (fleet is not null)
            {
                var perMinion = options.ReactorLoad / options.Minions;
                var count = (int)Math.Ceiling(perMinion * options.ReactorLoadSeconds);
                log($"  background load: {options.Minions} simulated minions x {perMinion:F1} events/s on {EventThroughputBenchmark.TagPrefix}/* for {options.ReactorLoadSeconds}s");
                load = fleet.FireAsync(new EventLoad(count, perMinion, 10, EventThroughputBenchmark.TagPrefix, 0),
                    TimeSpan.FromSeconds(options.ReactorLoadSeconds + 60), cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            for (var seq = 0L; seq < options.ReactorWarmup + options.ReactorEvents; seq++)
            {
                await FireOneAsync(source, seq, seq >= options.ReactorWarmup ? result : null, load, cancellationToken).ConfigureAwait(false);
            }
            if (load is not null)
            {
                var reports = await load.ConfigureAwait(false);
                result.LoadAcked = reports.Sum(r => r.GetValueOrDefault("events_acked"));
                result.LoadFailed = reports.Sum(r => r.GetValueOrDefault("events_refused") + r.GetValueOrDefault("events_timed_out") + r.GetValueOrDefault("events_unsent"));
                var seconds = reports.Max(r => r.GetValueOrDefault("elapsed_ms")) / 1000.0;
                result.LoadAckedPerSecond = seconds > 0 ? result.LoadAcked / seconds : 0;
                log($"  background load: {result.LoadAcked:N0} events acked in {seconds:F1}s ({result.LoadAckedPerSecond:N0}/s), {result.LoadFailed} failed");
            }
            result.MasterCpuSeconds = master.Stats().CpuSeconds - masterBefore;
            var minionStats = ProcStats.Read(minion.Pid);
            result.MinionCpuSeconds = minionStats.CpuSeconds - minionBefore;
            result.MinionPeakRssKb = minionStats.PeakRssKb;
            result.MasterPeakRssKb = master.Stats().PeakRssKb;
            log($"  marker observed: median {ThroughputResult.Percentile(result.MarkerMs, 50):F1} ms, p99 {ThroughputResult.Percentile(result.MarkerMs, 99):F1} ms " +
                $"({result.MarkerMs.Count} samples, {result.Missed} missed); events acked {source.Acked}, failed {source.Failed}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Error = e.Message;
            log($"  {e.GetType().Name}: {e.Message}");
        }
        return result;
    }

    private async Task FireOneAsync(SimEventSource source, long seq, ReactorResult? result, Task? load, CancellationToken cancellationToken)
    {
        var sample = _samples.GetOrAdd(seq, _ => new Sample());
        sample.Start = Stopwatch.GetTimestamp();
        await source.FireAsync(TagPrefix, seq).ConfigureAwait(false);
        try
        {
            await sample.Marker.Task.WaitAsync(MarkerTimeout, cancellationToken).ConfigureAwait(false);
            await sample.Return.Task.WaitAsync(ReturnTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            log($"  event {seq}: {(sample.Marker.Task.IsCompleted ? "no return event" : "no marker")} within the time-out");
        }
        if (result is null)
        {
            return;
        }
        if (load is { IsCompleted: true })
        {
            result.AfterLoad++;
            return;
        }
        if (!sample.Marker.Task.IsCompletedSuccessfully)
        {
            result.Missed++;
            return;
        }
        result.MarkerMs.Add(Ms(sample.Start, sample.Marker.Task.Result));
        if (sample.JobNew is { } created)
        {
            result.JobNewMs.Add(Ms(sample.Start, created));
        }
        if (sample.Return.Task.IsCompletedSuccessfully)
        {
            result.JobReturnMs.Add(Ms(sample.Start, sample.Return.Task.Result));
        }
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private void OnMarker(string? name)
    {
        var now = Stopwatch.GetTimestamp();
        if (name is not null && name.StartsWith("marker-", StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            _samples.GetOrAdd(seq, _ => new Sample()).Marker.TrySetResult(now);
        }
    }

    /// <summary>The reactor's job events carry the rendered command, hence the marker's sequence number.</summary>
    private void OnJobEvent(string tag, Dictionary<string, object?> data, long now)
    {
        if (MarkerSeq().Match(DataTree.ToJson(data, indent: false)) is not { Success: true } match
            || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return;
        }
        var sample = _samples.GetOrAdd(seq, _ => new Sample());
        if (tag.EndsWith("/new", StringComparison.Ordinal))
        {
            sample.JobNew ??= now;
        }
        else if (tag.EndsWith($"/ret/{TargetId}", StringComparison.Ordinal))
        {
            sample.Return.TrySetResult(now);
        }
    }

    [GeneratedRegex(@"marker-(\d+)")]
    private static partial Regex MarkerSeq();

    private sealed class Sample
    {
        public long Start { get; set; }
        public long? JobNew { get; set; }
        public TaskCompletionSource<long> Marker { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<long> Return { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
