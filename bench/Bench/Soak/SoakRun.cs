using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// The phases of one soak against a started cluster: wait for every real minion (and the swarm), then drive jobs and chaos
/// for the duration while sampling memory, then drain (no new jobs; wait, bounded, for the outstanding returns), then the
/// final audit and the report.
/// </summary>
public sealed class SoakRun(SoakOptions options, SoakCluster cluster, Action<string> log)
{
    /// <summary>Runs the soak and prints its report; the exit code (0 only when nothing was lost, ran twice or went wrong) and whether to keep the scratch dir.</summary>
    public async Task<(int Exit, bool Problems)> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var ledger = new SoakLedger();
        var driver = new JobDriver(cluster, ledger, options, options.Seed);
        var chaos = new ChaosMonkey(cluster, ledger, driver, options, options.Seed + 1, log);
        var audit = new SoakAudit(cluster, ledger, options);
        var sampler = new MemorySampler(cluster, ledger, audit, log);
        var interrupted = false;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var samplerTask = Task.CompletedTask;
        try
        {
            if (await chaos.ProbeAsync("start-up", cancellationToken).ConfigureAwait(false) is not { } up)
            {
                log("the real minions did not all answer a first test.ping: see the findings");
            }
            else
            {
                log($"all {cluster.Minions.Count} real minions answer ({up:F1}s)");
                await WaitSwarmAsync(cancellationToken).ConfigureAwait(false);
                sampler.Sample();
                samplerTask = sampler.RunAsync(options.SampleInterval, sampling.Token);
                await DriveAsync(driver, chaos, cancellationToken).ConfigureAwait(false);
                if (!chaos.MasterLost)
                {
                    await DrainAsync(ledger, audit, chaos, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
            log("interrupted: auditing what was done so far (young jobs stay pending)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ledger.Finding($"the soak itself failed: {e.GetType().Name}: {e.Message}");
            log($"soak failed: {e}");
        }
        await sampling.CancelAsync().ConfigureAwait(false);
        await samplerTask.ConfigureAwait(false);
        var final = FinalAudit(audit, settleAll: !interrupted);
        sampler.Sample(final);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"orch-bench soak: {SoakReport.Clock(total.Elapsed)} in all ({SoakReport.Clock(options.Duration)} of jobs and chaos{(interrupted ? ", interrupted" : "")}), " +
            $"seed {options.Seed}, {cluster.Minions.Count} real minions{(options.Swarm > 0 ? $" + {options.Swarm} simulated" : "")}, " +
            $"a job every ~{options.JobInterval.TotalSeconds:F1}s (timeout {options.JobTimeoutSeconds}s), " +
            $"chaos every ~{options.ChaosInterval.TotalSeconds:F0}s ({(options.Chaos.Count > 0 ? string.Join(",", SoakOptions.AllChaos.Where(options.Chaos.Contains)) : "none")}), " +
            $"SIGSTOP ~{options.StopFor.TotalSeconds:F0}s, minion heartbeat_interval {options.HeartbeatSeconds}s, " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()} at the end, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine(SoakReport.Render(header, cluster, ledger, sampler, final));
        var problems = final.Lost > 0 || final.RanTwice > 0 || final.ReturnedWithoutRunning > 0 || final.SwarmLost > 0
            || ledger.Findings().Count > 0 || cluster.Daemons.Any(d => d.UncleanExits.Count > 0);
        return (problems || interrupted ? 1 : 0, problems);
    }

    private async Task WaitSwarmAsync(CancellationToken cancellationToken)
    {
        if (options.Swarm == 0)
        {
            return;
        }
        var limit = TimeSpan.FromSeconds(60 + options.Swarm * 0.1);
        var clock = Stopwatch.StartNew();
        while (cluster.Swarm.Sum(s => s.Ready) < options.Swarm)
        {
            if (clock.Elapsed > limit || cluster.Swarm.Any(s => s.HasExited))
            {
                throw new TimeoutException($"only {cluster.Swarm.Sum(s => s.Ready)}/{options.Swarm} simulated minions authenticated within {limit.TotalSeconds:F0}s");
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
        log($"all {options.Swarm} simulated minions authenticated ({clock.Elapsed.TotalSeconds:F1}s)");
    }

    private async Task DriveAsync(JobDriver driver, ChaosMonkey chaos, CancellationToken cancellationToken)
    {
        var end = DateTime.UtcNow + options.Duration;
        log($"driving jobs and chaos until {end.ToLocalTime():HH:mm:ss} (seed {options.Seed})");
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task ChaosThenStop()
        {
            try
            {
                await chaos.RunAsync(end, run.Token).ConfigureAwait(false);
            }
            finally
            {
                if (chaos.MasterLost)
                {
                    await run.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        var tasks = new List<Task> { driver.RunAsync(end, run.Token), ChaosThenStop() };
        if (options.Swarm > 0)
        {
            tasks.Add(driver.RunSwarmAsync(end, run.Token));
        }
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (chaos.MasterLost && !cancellationToken.IsCancellationRequested)
        {
            // The master is gone: nothing more to drive; the audit says what it has.
        }
    }

    private async Task DrainAsync(SoakLedger ledger, SoakAudit audit, ChaosMonkey chaos, CancellationToken cancellationToken)
    {
        await chaos.CheckDaemonsAsync().ConfigureAwait(false);
        var jobs = ledger.Jobs();
        var until = (jobs.Count > 0 ? jobs.Max(j => j.PublishedAt) : DateTime.UtcNow) + options.SettleAfter;
        log($"drain: no new jobs or chaos; waiting (until {until.ToLocalTime():HH:mm:ss} at most) for the outstanding returns");
        var clock = Stopwatch.StartNew();
        while (DateTime.UtcNow < until)
        {
            var now = audit.Run(settleAll: false);
            if (now.Error is null && now.Pending == 0 && now.SwarmPending == 0)
            {
                log($"drain: every return is accounted for after {clock.Elapsed.TotalSeconds:F0}s");
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        log($"drain: stopped at its bound after {clock.Elapsed.TotalSeconds:F0}s; what is missing now counts as lost");
    }

    /// <summary>The last audit; a job cache that is busy (a checkpoint, recovery after a kill) is read again a few times.</summary>
    private static AuditResult FinalAudit(SoakAudit audit, bool settleAll)
    {
        var result = audit.Run(settleAll);
        for (var attempt = 0; result.Error is not null && attempt < 5; attempt++)
        {
            Thread.Sleep(1000);
            result = audit.Run(settleAll);
        }
        return result;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
