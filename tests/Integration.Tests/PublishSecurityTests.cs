using System.Security.Cryptography;
using Orchestrator.Master.Auth;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: frames arrive on the minions' publish channel that the master did not sign, or that it sent before. The
/// minion must run neither, and keep running real jobs.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class PublishSecurityTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private TestMinion _web1 = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        _web1 = await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private long Dropped(string reason) => _web1.Connection.Dropped.GetValueOrDefault(reason);

    [Fact]
    public async Task PublishSignedByAnotherKey_IsDroppedAndNotRun()
    {
        var jid = _cluster.MasterService<JobDispatcher>().NewJid();
        var sessionKey = _cluster.MasterService<SessionKeyring>().Current;
        var job = new JobPublish { Jid = jid, Function = "cmd.run", Args = ["touch /tmp/orch-forged"], Target = "*", TargetType = "glob", Timeout = 5 };
        var forged = EnvelopeSealer.Seal(
            MessageType.JobPublish, "master", sessionKey.Key, WireCodec.Serialize(job), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), sessionKey.Generation);
        using (var impostor = RSA.Create(2048))
        {
            EnvelopeSigner.Sign(forged, impostor);
        }

        _cluster.MasterService<MasterTransport>().Publish("all/", WireCodec.Serialize(forged));

        await Poll.UntilAsync(() => Dropped("forged") == 1, "forged publish dropped");
        Assert.Empty(_cluster.MasterService<IJobCache>().GetReturns(jid));
        Assert.Equal(0, (await _cluster.CliAsync("web1", "test.ping")).ExitCode);
    }

    [Fact]
    public async Task ReplayedPublish_IsDroppedAndTheJobRunsOnce()
    {
        byte[]? captured = null;
        _web1.Connection.PublishFilter = frame =>
        {
            captured ??= frame;
            return true;
        };
        var first = await _cluster.CliAsync("--out", "json", "--static", "web1", "test.echo", "once");
        Assert.Equal(0, first.ExitCode);
        Assert.NotNull(captured);

        _cluster.MasterService<MasterTransport>().Publish("all/", captured!);

        await Poll.UntilAsync(() => Dropped("replayed") == 1, "replayed publish dropped");
        Assert.Single(_cluster.MasterService<IJobCache>().ListJobs(searchFunction: "test.echo"));
    }

    [Fact]
    public async Task PublishReplayedToARestartedMinion_DoesNotRunTheJobAgain()
    {
        byte[]? captured = null;
        _web1.Connection.PublishFilter = frame =>
        {
            captured ??= frame;
            return true;
        };
        var log = _cluster.Root.Combine("runs.log");
        var first = await _cluster.CliAsync("web1", "cmd.run", $"echo ran >> {log}");
        Assert.Equal(0, first.ExitCode);
        Assert.NotNull(captured);

        // A restart forgets the nonces it had seen; the jid journal on disk still knows the job ran.
        await _web1.StopAsync();
        await _web1.StartAsync();
        await Poll.UntilAsync(() => _web1.Connection.IsAuthenticated, "web1 back");
        var metrics = _cluster.MasterService<MasterMetrics>();
        var acks = metrics.Acks;
        _cluster.MasterService<MasterTransport>().Publish("all/", captured!);
        // A minion acknowledges a jid it already ran at once, without running it.
        await Poll.UntilAsync(() => metrics.Acks > acks, "the replayed publish acknowledged");
        Assert.Equal(0, (await _cluster.CliAsync("web1", "test.ping")).ExitCode);

        Assert.Equal(["ran"], await File.ReadAllLinesAsync(log));
    }
}
