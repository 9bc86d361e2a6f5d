using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Transport;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the master goes away and comes back; minions reconnect on their own, a return produced while the master was
/// down is delivered from the minion's outbox, a job published before the restart still reaches a minion that was down,
/// and a publish lost on the way is re-sent until acknowledged.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ReliabilityTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task MasterRestart_MinionReconnectsAndBufferedReturnIsDelivered()
    {
        var web1 = await _cluster.AddMinionAsync("web1");
        var published = await _cluster.CliAsync("--async", "web1", "test.sleep", "4");
        var jid = published.Stdout.Trim().Split(' ').Last();
        Assert.Matches("^[0-9]{20}$", jid);
        await Poll.UntilAsync(() => web1.Host is not null && Directory.Exists(web1.OutboxDir), "outbox ready");
        // Stop the master only once the job runs on the minion, so on a loaded machine it neither finishes before the master
        // is down nor has yet to arrive.
        var runner = web1.Host.Services.GetRequiredService<Orchestrator.Minion.Jobs.JobRunner>();
        await Poll.UntilAsync(() => runner.Snapshot().Any(j => Equals(j["jid"], jid)), "the job running on web1");

        // The job finishes while the master is down: its return must wait in the outbox, not be lost.
        await _cluster.RestartMasterAsync(whileDown: () =>
            Poll.UntilAsync(() => Directory.EnumerateFiles(web1.OutboxDir, "*.ret").Any(), "return buffered in the outbox"));

        var cache = _cluster.MasterService<IJobCache>();
        await Poll.UntilAsync(() => cache.GetReturns(jid).Count == 1, "buffered return delivered after restart");
        Assert.Equal(true, cache.GetReturns(jid)[0].Return);
        await Poll.UntilAsync(() => !Directory.EnumerateFiles(web1.OutboxDir, "*.ret").Any(), "outbox emptied after ack");
        var ping = await _cluster.CliAsync("web1", "test.ping");
        Assert.Equal(0, ping.ExitCode);
    }

    [Fact]
    public async Task MasterRestart_TheFirstPublishAfterIt_HasTheMinionAuthenticateAgain_WithoutWaitingForItsHeartbeat()
    {
        // A heartbeat ten minutes away: only the new master's publish, which the minion's old keys cannot open, can tell it
        // that its session is gone.
        var web1 = await _cluster.AddMinionAsync("web1", configure: o => o.HeartbeatInterval = TimeSpan.FromMinutes(10));
        // Settled: past its start announcement and pillar fetch, waiting for its next heartbeat, where a minion spends its
        // time. (A request in flight to the old master still waits its own timeout: the old master will never answer it.)
        await web1.Connection.WaitConnectedAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await _cluster.RestartMasterAsync();

        var result = await _cluster.CliAsync("--out", "json", "-t", "60", "web1", "test.echo", "after-restart");

        Assert.True(result.ExitCode == 0,
            $"exit {result.ExitCode}; {result.Stdout} {result.Stderr}; publishes dropped by web1: {string.Join(", ", web1.Connection.Dropped)}");
        Assert.Contains("after-restart", result.Stdout);
        Assert.True(web1.Connection.Dropped.GetValueOrDefault("undecryptable") + web1.Connection.Dropped.GetValueOrDefault("stale-key") >= 1,
            "the first publish after the restart was not the old session's to open");
    }

    [Fact]
    public async Task DroppedPublish_IsResentAndTheJobStillReturns()
    {
        var web1 = await _cluster.AddMinionAsync("web1");
        var dropped = 0;
        // Lose the first publish on the minion's side, as a PUB socket at its high-water mark would.
        web1.Connection.PublishFilter = _ => Interlocked.Increment(ref dropped) > 1;

        var result = await _cluster.CliAsync("--out", "json", "--static", "web1", "test.echo", "made-it");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("made-it", result.Stdout);
        Assert.True(dropped >= 2);
        Assert.True(_cluster.MasterService<MasterMetrics>().Republished >= 1);
    }

    [Fact]
    public async Task MasterRestart_WhileAMinionIsDown_TheMinionStillGetsTheJobPublishedBefore()
    {
        // Found by orch-bench soak: a job published while its minion was down was forgotten by a master restarted before
        // the minion came back, so the minion's catch-up found nothing and the job never ran there.
        var web1 = await _cluster.AddMinionAsync("web1");
        await web1.StopAsync();
        var published = await _cluster.CliAsync("--async", "-t", "120", "web1", "test.echo", "caught-up");
        var jid = published.Stdout.Trim().Split(' ').Last();
        Assert.Matches("^[0-9]{20}$", jid);

        await _cluster.RestartMasterAsync();
        await web1.StartAsync();

        var cache = _cluster.MasterService<IJobCache>();
        await Poll.UntilAsync(() => cache.GetReturns(jid).Count == 1, "web1's return of the job published before the restart");
        Assert.Equal("caught-up", cache.GetReturns(jid)[0].Return);
    }

    [Fact]
    public async Task JobCache_SurvivesMasterRestart()
    {
        await _cluster.AddMinionAsync("web1");
        var published = await _cluster.CliAsync("--async", "web1", "test.echo", "persisted");
        var jid = published.Stdout.Trim().Split(' ').Last();
        await Poll.UntilAsync(() => _cluster.MasterService<IJobCache>().GetReturns(jid).Count == 1, "return stored");

        await _cluster.RestartMasterAsync();

        var lookup = await _cluster.CliVerbAsync("run", "--out", "json", "jobs.lookup_jid", jid);
        Assert.Contains("persisted", lookup.Stdout);
    }
}
