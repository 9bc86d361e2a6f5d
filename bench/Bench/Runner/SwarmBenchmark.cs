using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Orchestrator.Bench.Swarm;
using Orchestrator.Shared.Ipc;
using Orchestrator.Shared.Security;

namespace Orchestrator.Bench.Runner;

/// <summary>
/// Measures one swarm size against a fresh master process: connect and authenticate N simulated minions, then the
/// publish-to-all-returns latency of <c>test.ping</c>, then back-to-back throughput, with the master's CPU time and peak RSS.
/// Every phase has its own time limit, so a stuck run ends by itself with what it has.
/// </summary>
public sealed class SwarmBenchmark(BenchOptions options, string binDirectory, Action<string> log)
{
    public async Task<SizeResult> RunAsync(int n, CancellationToken cancellationToken)
    {
        var result = new SizeResult { Minions = n };
        var root = Path.Combine(options.WorkDirectory, $"n{n}");
        if (!options.FirstAccept)
        {
            AcceptKeysBeforehand(root, n);
        }
        var master = await MasterProcess.StartAsync(binDirectory, root, options, cancellationToken, profiled: true).ConfigureAwait(false);
        var children = new List<SwarmChild>();
        try
        {
            result.MasterStartSeconds = master.Startup.TotalSeconds;
            result.MasterRssIdleKb = master.Stats().RssKb;
            var cpuStart = master.Stats().CpuSeconds;

            await ConnectSwarmAsync(n, master, children, result, cancellationToken).ConfigureAwait(false);
            var cpuAuthed = master.Stats().CpuSeconds;
            result.MasterCpuAuth = cpuAuthed - cpuStart;

            await CheckExpectedAsync(master, n, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < 2; i++)
            {
                await PingAllAsync(master, cancellationToken).ConfigureAwait(false);
            }
            var cpuWarm = master.Stats().CpuSeconds;
            await MeasureLatencyAsync(master, n, result, cancellationToken).ConfigureAwait(false);
            var cpuLatency = master.Stats().CpuSeconds;
            result.MasterCpuLatency = cpuLatency - cpuWarm;

            await MeasureThroughputAsync(master, n, result, cancellationToken).ConfigureAwait(false);
            var end = master.Stats();
            result.MasterCpuThroughput = end.CpuSeconds - cpuLatency;
            result.MasterCpuTotal = end.CpuSeconds;
            result.MasterPeakRssKb = end.PeakRssKb;

            var threads = ProcStats.Threads(master.Pid).Take(6).Select(t => $"{t.Name} {t.CpuSeconds:F1}s");
            log($"  n={n}: master CPU by thread: {string.Join(", ", threads)}");
            var metrics = await master.MetricsAsync(cancellationToken).ConfigureAwait(false);
            result.Published = Num(metrics, "published");
            result.Republished = Num(metrics, "republished");
            result.InboundPaused = Num(metrics, "inbound_paused");
            result.ResendRoundsDeferred = Num(metrics, "resend_rounds_deferred");
            result.MasterDropped = new[] { "malformed", "oversized", "replayed", "forged", "unauthenticated", "refused_kind", "impersonation" }
                .Sum(k => Num(metrics, k));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result.Error = e.Message;
            log($"  n={n}: {e.GetType().Name}: {e.Message}");
            var stats = master.Stats();
            result.MasterCpuTotal = stats.CpuSeconds;
            result.MasterPeakRssKb = stats.PeakRssKb;
        }
        finally
        {
            foreach (var child in children)
            {
                try
                {
                    if (!child.HasExited)
                    {
                        result.SwarmCpu += child.Stats().CpuSeconds;
                        foreach (var (key, value) in await child.CountersAsync(cancellationToken).ConfigureAwait(false))
                        {
                            result.Swarm[key] = result.Swarm.GetValueOrDefault(key) + value;
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
                {
                    // Counters are a bonus; a swarm process that does not answer is ended below.
                }
                await child.DisposeAsync().ConfigureAwait(false);
            }
            await master.DisposeAsync().ConfigureAwait(false);
        }
        return result;
    }

    private static long Num(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) switch
    {
        long l => l,
        int i => i,
        ulong u => (long)u,
        var other => other is null ? 0 : Convert.ToInt64(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Writes the swarm's public keys into the master's accepted keys, as a master restarting among its minions has them
    /// (the auth figure's case); <c>--first-accept</c> leaves them out, so the master accepts and writes each key itself.
    /// </summary>
    private void AcceptKeysBeforehand(string root, int n)
    {
        var accepted = Path.Combine(root, "pki", "minions");
        PrivateFiles.EnsureDirectory(Path.Combine(root, "pki"));
        PrivateFiles.EnsureDirectory(accepted);
        Parallel.For(0, n, i =>
        {
            var path = Path.Combine(accepted, $"swarm-{i:D5}");
            File.WriteAllText(path, KeyCache.PublicPem(options.KeyDirectory, options.KeyPool > 0 ? i % options.KeyPool : i));
            PrivateFiles.Restrict(path);
        });
        log($"  n={n}: {n} minion keys accepted beforehand (a master restart; --first-accept to measure accepting them)");
    }

    private static void ThrowIfOneExited(List<SwarmChild> children)
    {
        if (children.Any(c => c.HasExited))
        {
            throw new InvalidOperationException("a swarm process exited early (see its stderr above)");
        }
    }

    private async Task ConnectSwarmAsync(
        int n, MasterProcess master, List<SwarmChild> children, SizeResult result, CancellationToken cancellationToken)
    {
        var shards = (n + options.ShardSize - 1) / options.ShardSize;
        result.Shards = shards;
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < shards; s++)
        {
            var first = (int)((long)n * s / shards);
            var count = (int)((long)n * (s + 1) / shards) - first;
            children.Add(SwarmChild.Start(new SwarmSettings(
                "127.0.0.1", master.RetPort, master.PublishPort, master.Fingerprint, options.KeyDirectory, options.KeyPool, first, count,
                Math.Max(1, Math.Min(options.Loops, count)), options.AuthConcurrency,
                TimeSpan.FromSeconds(options.HeartbeatSeconds), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10),
                TimeSpan.FromSeconds(60), WaitForStart: true), options));
        }
        // Generous, for loading the keys and then for the handshakes: two RSA private-key operations per minion on each
        // side, on two shared cores.
        var limit = TimeSpan.FromSeconds(60 + n * 0.05);
        // The swarm loads its keys first; the auth figure starts when every simulated minion is ready to connect.
        while (children.Any(c => c.LoadedSeconds is null))
        {
            ThrowIfOneExited(children);
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"the swarm did not load its {n} keys within {clock.Elapsed.TotalSeconds:F0}s");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        log($"  n={n}: keys loaded in {children.Max(c => c.LoadedSeconds):F1}s; handshakes start");
        foreach (var child in children)
        {
            await child.StartHandshakesAsync(cancellationToken).ConfigureAwait(false);
        }
        clock.Restart();
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            var ready = children.Sum(c => c.Ready);
            if (ready >= n && children.All(c => c.ReadySeconds is not null))
            {
                break;
            }
            ThrowIfOneExited(children);
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"only {ready}/{n} minions authenticated within {limit.TotalSeconds:F0}s");
            }
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                log($"  n={n}: {ready}/{n} minions authenticated ({clock.Elapsed.TotalSeconds:F0}s)");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        result.AuthSeconds = clock.Elapsed.TotalSeconds;
        log($"  n={n}: all {n} minions authenticated in {result.AuthSeconds:F1}s ({shards} swarm process(es))");
    }

    private static async Task CheckExpectedAsync(MasterProcess master, int n, CancellationToken cancellationToken)
    {
        await using var client = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var reply = await client.CallAsync("expected", new(StringComparer.Ordinal) { ["tgt"] = "*", ["tgt_type"] = "glob" }, cancellationToken)
            .ConfigureAwait(false);
        var count = (reply.GetValueOrDefault("minions") as List<object?>)?.Count ?? 0;
        if (count != n)
        {
            throw new InvalidOperationException($"the master expects {count} minions for '*', not {n}");
        }
    }

    /// <summary>Publishes test.ping to every minion and streams the returns back (what <c>orch '*' test.ping</c> does).</summary>
    private static async Task<(TimeSpan Elapsed, int Returns, int Missing)> PingAllAsync(MasterProcess master, CancellationToken cancellationToken)
    {
        await using var client = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var returns = 0;
        var missing = 0;
        var clock = Stopwatch.StartNew();
        await foreach (var message in client.StreamAsync("publish", PingRequest(async: false), cancellationToken).ConfigureAwait(false))
        {
            switch (message.GetValueOrDefault("type"))
            {
                case "return":
                    returns++;
                    break;
                case "end":
                    missing = (message.GetValueOrDefault("missing") as List<object?>)?.Count ?? 0;
                    break;
            }
        }
        return (clock.Elapsed, returns, missing);
    }

    private static Dictionary<string, object?> PingRequest(bool async) => new(StringComparer.Ordinal)
    {
        ["fun"] = "test.ping",
        ["tgt"] = "*",
        ["tgt_type"] = "glob",
        ["arg"] = new List<object?>(),
        ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        ["user"] = "bench",
        ["timeout"] = 60L,
        ["async"] = async,
    };

    private async Task MeasureLatencyAsync(MasterProcess master, int n, SizeResult result, CancellationToken cancellationToken)
    {
        var repeats = options.RepeatsFor(n);
        var budget = Stopwatch.StartNew();
        for (var r = 0; r < repeats; r++)
        {
            var (elapsed, returns, missing) = await PingAllAsync(master, cancellationToken).ConfigureAwait(false);
            if (missing == 0 && returns == n)
            {
                result.LatenciesMs.Add(elapsed.TotalMilliseconds);
            }
            else
            {
                result.LatencyFailures++;
                log($"  n={n}: ping {r + 1}: {returns}/{n} returns, {missing} missing after {elapsed.TotalSeconds:F1}s");
            }
            // Keep the phase bounded on a slow machine: stop sampling after two minutes, with what we have.
            if (budget.Elapsed > TimeSpan.FromMinutes(2))
            {
                log($"  n={n}: latency phase stopped after {r + 1} samples (2 min budget)");
                break;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        log($"  n={n}: publish -> all {n} returns stored: median {result.Percentile(50):F1} ms, p99 {result.Percentile(99):F1} ms ({result.LatenciesMs.Count} samples)");
    }

    private async Task MeasureThroughputAsync(MasterProcess master, int n, SizeResult result, CancellationToken cancellationToken)
    {
        var jobs = options.JobsFor(n);
        result.Jobs = jobs;
        var expected = (long)jobs * n;
        await using var client = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
        string? firstJid = null;
        var clock = Stopwatch.StartNew();
        for (var j = 0; j < jobs; j++)
        {
            await foreach (var message in client.StreamAsync("publish", PingRequest(async: true), cancellationToken).ConfigureAwait(false))
            {
                if (message.GetValueOrDefault("type") is "start")
                {
                    firstJid ??= message.GetValueOrDefault("jid") as string;
                }
            }
        }
        result.PublishSeconds = clock.Elapsed.TotalSeconds;
        // Completion is read from the job cache itself (read-only; WAL lets us read while the master writes).
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = master.JobCachePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var limit = TimeSpan.FromSeconds(Math.Clamp(expected / 500.0, 60, 300));
        var stored = 0L;
        var lastReport = clock.Elapsed;
        while (true)
        {
            await using (var command = db.CreateCommand())
            {
                command.CommandText = "SELECT COUNT(*) FROM returns WHERE jid >= $first";
                command.Parameters.AddWithValue("$first", firstJid ?? "");
                stored = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
            }
            if (stored >= expected)
            {
                result.ThroughputComplete = true;
                break;
            }
            if (clock.Elapsed > limit)
            {
                log($"  n={n}: throughput phase stopped at its {limit.TotalSeconds:F0}s limit with {stored}/{expected} returns stored");
                break;
            }
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                log($"  n={n}: {stored}/{expected} returns stored ({clock.Elapsed.TotalSeconds:F0}s)");
            }
            await Task.Delay(expected > 20_000 ? 200 : 20, cancellationToken).ConfigureAwait(false);
        }
        result.ThroughputSeconds = clock.Elapsed.TotalSeconds;
        result.ThroughputReturns = stored;
        log($"  n={n}: {jobs} back-to-back jobs: {result.JobsPerSecond:F1} jobs/s, {result.ReturnsPerSecond:F0} returns/s " +
            $"(published in {result.PublishSeconds:F2}s, all stored after {result.ThroughputSeconds:F2}s)");
    }
}
