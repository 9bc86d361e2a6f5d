using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// At random intervals: restarts the master with SIGTERM, kills it with SIGKILL and starts it again, freezes it with SIGSTOP
/// for longer than the minions' heartbeat timeout, or kills a minion with SIGKILL and starts it again. Master actions and
/// minion kills follow two independent schedules, so a minion may be down across a master restart, as in a real outage.
/// After each action a test.ping to every real minion times the recovery; one not answering within its bound is a finding
/// (a daemon that did not come back). Every step is bounded; when the master cannot be brought back the run stops with
/// what it has.
/// </summary>
public sealed class ChaosMonkey(SoakCluster cluster, SoakLedger ledger, JobDriver driver, SoakOptions options, int seed, Action<string> log)
{
    private static readonly TimeSpan TermLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MasterUpLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(150);

    /// <summary>Set when the master could not be brought back: the run ends early.</summary>
    public bool MasterLost { get; private set; }

    public async Task RunAsync(DateTime end, CancellationToken cancellationToken)
    {
        var enabled = SoakOptions.AllChaos.Where(options.Chaos.Contains).ToList();
        var masterActions = enabled.Where(a => a.StartsWith("master-", StringComparison.Ordinal)).ToList();
        // Every enabled action is as likely as the others, and all together come every ChaosInterval on average.
        var loops = new List<Task>();
        if (masterActions.Count > 0)
        {
            loops.Add(LoopAsync(masterActions, options.ChaosInterval * enabled.Count / masterActions.Count, new Random(seed), end, cancellationToken));
        }
        if (enabled.Contains("minion-kill"))
        {
            loops.Add(LoopAsync(["minion-kill"], options.ChaosInterval * enabled.Count, new Random(seed + 1), end, cancellationToken));
        }
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task LoopAsync(List<string> actions, TimeSpan mean, Random random, DateTime end, CancellationToken cancellationToken)
    {
        while (!MasterLost)
        {
            var gap = mean * (0.5 + random.NextDouble());
            if (DateTime.UtcNow + gap >= end)
            {
                break;
            }
            await Task.Delay(gap, cancellationToken).ConfigureAwait(false);
            if (MasterLost)
            {
                break;
            }
            await CheckDaemonsAsync().ConfigureAwait(false);
            await ActAsync(actions[random.Next(actions.Count)], random, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A daemon that exited on its own is a finding; it is started again so the run goes on.</summary>
    public async Task CheckDaemonsAsync()
    {
        foreach (var daemon in cluster.Daemons.Where(d => !d.Running && !d.DownOnPurpose))
        {
            ledger.Finding($"{daemon.Name} exited by itself (incarnation {daemon.Incarnation}); started again");
            log($"FINDING: {daemon.Name} exited by itself; starting it again");
            daemon.Start();
            if (daemon == cluster.Master)
            {
                await WaitMasterOrRestartAsync("exited by itself", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task ActAsync(string action, Random random, CancellationToken cancellationToken)
    {
        var at = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        string detail;
        try
        {
            detail = action switch
            {
                "master-term" => await RestartMasterAsync(kill: false, cancellationToken).ConfigureAwait(false),
                "master-kill" => await RestartMasterAsync(kill: true, cancellationToken).ConfigureAwait(false),
                "master-stop" => await FreezeMasterAsync(random, cancellationToken).ConfigureAwait(false),
                _ => await KillMinionAsync(random, cancellationToken).ConfigureAwait(false),
            };
        }
        finally
        {
            // Whatever happened (Ctrl-C included), the master is not left frozen and jobs flow again.
            if (action.StartsWith("master-", StringComparison.Ordinal))
            {
                cluster.Master.Thaw();
                driver.Held = false;
            }
        }
        var outSeconds = clock.Elapsed.TotalSeconds;
        double? recovery = null;
        if (!MasterLost)
        {
            recovery = await ProbeAsync(action, cancellationToken).ConfigureAwait(false);
        }
        ledger.Action(new ChaosRecord(action, at, outSeconds, recovery, detail));
        log($"chaos: {action} ({detail}; {outSeconds:F1}s), " +
            (recovery is { } r ? $"every real minion answered a test.ping {r:F1}s later" : "NOT every real minion answered again"));
    }

    private async Task<string> RestartMasterAsync(bool kill, CancellationToken cancellationToken)
    {
        driver.Held = true;
        var master = cluster.Master;
        var unclean = master.UncleanExits.Count;
        if (kill)
        {
            await master.KillAsync().ConfigureAwait(false);
        }
        else if (!await master.TerminateAsync(TermLimit).ConfigureAwait(false))
        {
            ledger.Finding($"orch-master did not exit within {TermLimit.TotalSeconds:F0}s of SIGTERM; killed it");
            await master.KillAsync().ConfigureAwait(false);
        }
        else if (master.UncleanExits.Count > unclean)
        {
            ledger.Finding($"orch-master exited with {master.UncleanExits[^1]} after SIGTERM");
        }
        master.Start();
        await WaitMasterOrRestartAsync(kill ? "SIGKILL" : "SIGTERM", cancellationToken).ConfigureAwait(false);
        return kill ? "SIGKILL, started again" : "SIGTERM, started again";
    }

    private async Task<string> FreezeMasterAsync(Random random, CancellationToken cancellationToken)
    {
        driver.Held = true;
        var frozen = options.StopFor * (0.75 + random.NextDouble() * 0.5);
        cluster.Master.Freeze();
        await Task.Delay(frozen, cancellationToken).ConfigureAwait(false);
        cluster.Master.Thaw();
        await WaitMasterOrRestartAsync("SIGCONT", cancellationToken).ConfigureAwait(false);
        return $"SIGSTOP for {frozen.TotalSeconds:F0}s, then SIGCONT";
    }

    private async Task<string> KillMinionAsync(Random random, CancellationToken cancellationToken)
    {
        var node = cluster.Minions[random.Next(cluster.Minions.Count)];
        await node.Daemon.KillAsync().ConfigureAwait(false);
        ledger.Killed(node.Id, DateTime.UtcNow);
        // Down for a while, so jobs published meanwhile must reach it through the master's catch-up when it is back.
        var down = TimeSpan.FromSeconds(1 + random.NextDouble() * 9);
        await Task.Delay(down, cancellationToken).ConfigureAwait(false);
        node.Daemon.Start();
        return $"{node.Id} SIGKILL, down {down.TotalSeconds:F0}s, started again";
    }

    /// <summary>Waits for the master's socket; when it does not answer, kills and starts it once more, then gives up on the run.</summary>
    private async Task WaitMasterOrRestartAsync(string after, CancellationToken cancellationToken)
    {
        if (await cluster.WaitMasterAsync(MasterUpLimit, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        ledger.Finding($"orch-master did not answer on its socket within {MasterUpLimit.TotalSeconds:F0}s after {after}; killing and starting it once more");
        log($"FINDING: orch-master did not come back after {after}; one more try");
        await cluster.Master.KillAsync().ConfigureAwait(false);
        cluster.Master.Start();
        if (!await cluster.WaitMasterAsync(MasterUpLimit, cancellationToken).ConfigureAwait(false))
        {
            ledger.Finding("orch-master did not come back after a second start: run ended early");
            log("FINDING: orch-master did not come back; ending the run with what it has");
            MasterLost = true;
        }
    }

    /// <summary>
    /// Publishes test.ping to every real minion and waits until all returns are in the job cache; the seconds it took, or
    /// null (and a finding naming who did not answer) when they are not in within <see cref="RecoveryLimit"/>.
    /// </summary>
    public async Task<double?> ProbeAsync(string after, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var ids = cluster.Minions.Select(m => m.Id).ToList();
        SoakJob? probe = null;
        var missing = ids;
        while (clock.Elapsed < RecoveryLimit)
        {
            // A publish the master refused or did not answer is tried again, and so is one that does not expect every real
            // minion (the master does not know one yet: its key is accepted on first contact); one it took is awaited to the end.
            if (probe?.Jid is null || ids.Except(probe.Expected).Any())
            {
                if (probe is not null)
                {
                    await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
                }
                probe = await driver.PublishAsync(JobKind.Probe, ids, 0, cancellationToken).ConfigureAwait(false);
            }
            if (probe.Jid is { } jid)
            {
                missing = ids.Except(ReturnsOf(jid)).ToList();
                if (missing.Count == 0)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
        var exited = cluster.Minions.Where(m => !m.Daemon.Running).Select(m => m.Id).ToList();
        ledger.Finding($"after {after}: {string.Join(", ", missing)} did not answer a test.ping within {RecoveryLimit.TotalSeconds:F0}s" +
            (probe?.Jid is { } j ? $" (jid {j})" : " (the master took no publish)") +
            (exited.Count > 0 ? $"; not running: {string.Join(", ", exited)}" : ""));
        return null;
    }

    private IReadOnlyList<string> ReturnsOf(string jid)
    {
        try
        {
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = cluster.JobCachePath,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
                DefaultTimeout = 5,
            }.ToString());
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "SELECT minion FROM returns WHERE jid = $jid";
            command.Parameters.AddWithValue("$jid", jid);
            using var reader = command.ExecuteReader();
            var list = new List<string>();
            while (reader.Read())
            {
                list.Add(reader.GetString(0));
            }
            return list;
        }
        catch (SqliteException)
        {
            // Busy or mid-recovery after a kill: the next poll reads it.
            return [];
        }
    }
}
