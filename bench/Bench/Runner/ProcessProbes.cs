using System.Diagnostics;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Runner;

/// <summary>Start-up time and idle memory of the real binaries: one <c>orch-minion</c> against a master, and <c>orch --version</c>.</summary>
public sealed class ProcessProbes(BenchOptions options, string binDirectory, Action<string> log)
{
    public sealed record MinionStart(string Kind, double Seconds);

    public sealed class Results
    {
        public List<MinionStart> MinionStarts { get; } = [];
        public long MinionIdleRssKb { get; set; }
        public long MinionIdlePssKb { get; set; }
        public long MinionPeakRssKb { get; set; }
        public int MinionJobs { get; set; }
        public long MinionAfterJobsRssKb { get; set; }
        public long MinionAfterJobsPssKb { get; set; }
        public double MinionIdleCpuSeconds { get; set; }
        public List<double> CliVersionMs { get; } = [];
        public string? Error { get; set; }
    }

    public async Task<Results> RunAsync(CancellationToken cancellationToken)
    {
        var results = new Results();
        try
        {
            await CliVersionAsync(results, cancellationToken).ConfigureAwait(false);
            await MinionAsync(results, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            results.Error = e.Message;
            log($"  probes: {e.GetType().Name}: {e.Message}");
        }
        return results;
    }

    private async Task CliVersionAsync(Results results, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(new ProcessStartInfo(Path.Combine(binDirectory, "orch"), ["--version"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("could not start orch");
            await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            results.CliVersionMs.Add(clock.Elapsed.TotalMilliseconds);
        }
        log($"  orch --version: median {Median(results.CliVersionMs):F0} ms over {results.CliVersionMs.Count} runs");
    }

    private async Task MinionAsync(Results results, CancellationToken cancellationToken)
    {
        var root = Path.Combine(options.WorkDirectory, "probe");
        await using var master = await MasterProcess.StartAsync(binDirectory, Path.Combine(root, "master"), options, cancellationToken)
            .ConfigureAwait(false);
        var minionDir = Path.Combine(root, "minion");
        Directory.CreateDirectory(minionDir);
        const string id = "probe-minion";
        await File.WriteAllTextAsync(Path.Combine(minionDir, "minion"), $"""
            id: {id}
            master: 127.0.0.1
            master_port: {master.RetPort}
            publish_port: {master.PublishPort}
            pki_dir: {minionDir}/pki
            cachedir: {minionDir}/cache
            sock_dir: {minionDir}/sock
            log_level: error
            log_file: {minionDir}/minion.log
            log_level_logfile: info

            """, cancellationToken).ConfigureAwait(false);
        // The first start generates the minion's RSA key; the later ones find it on disk.
        for (var run = 0; run < 4; run++)
        {
            var last = run == 3;
            var seconds = await StartMinionAsync(master, minionDir, id, results, idleProbe: last, cancellationToken).ConfigureAwait(false);
            results.MinionStarts.Add(new MinionStart(run == 0 ? "first start (generates its key)" : "restart (key on disk)", seconds));
        }
        log($"  orch-minion: authenticated {results.MinionStarts[0].Seconds * 1000:F0} ms after exec on first start, " +
            $"median {Median(results.MinionStarts.Skip(1).Select(s => s.Seconds * 1000).ToList()):F0} ms on restarts; " +
            $"idle RSS {results.MinionIdleRssKb / 1024.0:F1} MB, PSS {results.MinionIdlePssKb / 1024.0:F1} MB; after {results.MinionJobs} jobs " +
            $"RSS {results.MinionAfterJobsRssKb / 1024.0:F1} MB, PSS {results.MinionAfterJobsPssKb / 1024.0:F1} MB");
    }

    private async Task<double> StartMinionAsync(
        MasterProcess master, string minionDir, string id, Results results, bool idleProbe, CancellationToken cancellationToken)
    {
        // Watch the master's event bus for this minion's start event (sent once it is authenticated and its grains are cached).
        await using var events = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        watch.CancelAfter(TimeSpan.FromSeconds(60));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            try
            {
                // The master says "subscribed" once the subscription is live, then sends the matching events.
                await foreach (var message in events.StreamAsync(
                    "events", new(StringComparer.Ordinal) { ["tag"] = $"salt/minion/{id}/start" }, watch.Token).ConfigureAwait(false))
                {
                    if (message.GetValueOrDefault("type") is "subscribed")
                    {
                        subscribed.TrySetResult();
                    }
                    else if (message.GetValueOrDefault("type") is "event")
                    {
                        started.TrySetResult();
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                started.TrySetCanceled();
            }
        }, cancellationToken);
        await subscribed.Task.ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(binDirectory, "orch-minion"), ["-c", minionDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start orch-minion");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            if (idleProbe)
            {
                // Idle: authenticated, heartbeating, no jobs. Let start-up garbage settle first.
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                var stats = ProcStats.Read(process.Id);
                results.MinionIdleRssKb = stats.RssKb;
                results.MinionIdlePssKb = stats.PssKb;
                results.MinionPeakRssKb = stats.PeakRssKb;
                results.MinionIdleCpuSeconds = stats.CpuSeconds;
                // Then jobs one after another, as an operator's CLI sends them, to see what a busy day leaves behind.
                await using var client = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
                for (var job = 0; job < options.ProbeJobs; job++)
                {
                    await IpcPing.RunAsync(client, 1, cancellationToken, target: id).ConfigureAwait(false);
                }
                // The minion gives memory back one quiet check interval (10 s) after a busy one.
                await Task.Delay(TimeSpan.FromSeconds(25), cancellationToken).ConfigureAwait(false);
                var after = ProcStats.Read(process.Id);
                results.MinionJobs = options.ProbeJobs;
                results.MinionAfterJobsRssKb = after.RssKb;
                results.MinionAfterJobsPssKb = after.PssKb;
            }
            return seconds;
        }
        finally
        {
            await watch.CancelAsync().ConfigureAwait(false);
            Native.Terminate(process.Id);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or MasterUnavailableException)
            {
                // The event stream ends with its connection.
            }
        }
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
