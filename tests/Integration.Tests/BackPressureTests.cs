using Orchestrator.Master.Jobs;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: more requests arrive than the master's workers can take. The master must stop reading and catch up, answering
/// every request, rather than drop any (a dropped ack or return only comes back as a re-send); and a fast job's return
/// doubles as its ack, so it costs the master one request, not two.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class BackPressureTests
{
    [Fact]
    public async Task RequestFlood_BeyondTheInboundQueue_PausesReadingAndAnswersEveryRequest()
    {
        await using var cluster = await TestCluster.StartAsync(o =>
        {
            o.InboundQueue = 16;
            o.WorkerThreads = 1;
        });
        var metrics = cluster.MasterService<MasterMetrics>();
        using var peer = new TestPeer(cluster.MasterOptions.RetPort, "flooder");
        Assert.Equal("accepted", peer.Authenticate(cluster.MasterService<RsaKeyPair>().Fingerprint));

        const int count = 3000;
        var unanswered = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var heartbeat = peer.Sealed(MessageType.Heartbeat, WireCodec.Serialize(new Heartbeat()));
            unanswered.Add(Convert.ToHexString(heartbeat.Nonce));
            peer.Send(heartbeat);
        }
        while (unanswered.Count > 0)
        {
            var reply = peer.Receive(TimeSpan.FromSeconds(10));
            Assert.True(reply is not null, $"{unanswered.Count} of {count} heartbeats were never answered");
            Assert.Equal(MessageType.Ack, reply.Kind);
            Assert.True(unanswered.Remove(Convert.ToHexString(reply.ReplyTo!)), "an ack for no outstanding heartbeat");
        }

        Assert.True(metrics.InboundPaused >= 1, "the flood never filled the 16-request queue");
        Assert.Equal(0, metrics.Replayed + metrics.Malformed + metrics.Forged);
    }

    [Fact]
    public async Task FastJob_ReturnServesAsItsAck_SlowJobIsAcknowledgedFirst()
    {
        // The ack delay must stay under the master's first re-send, or the master re-sends what the minion is running.
        await using var cluster = await TestCluster.StartAsync(o => o.PublishRetryInterval = TimeSpan.FromSeconds(5));
        await cluster.AddMinionAsync("web1", configure: o => o.AckDelay = TimeSpan.FromSeconds(2));
        var metrics = cluster.MasterService<MasterMetrics>();

        var ping = await cluster.CliAsync("web1", "test.ping");
        Assert.Equal(0, ping.ExitCode);
        Assert.Equal(0, metrics.Acks);
        Assert.Equal(1, metrics.Returns);

        // test.sleep outlives the ack delay: the minion acknowledges the publish, then returns.
        var sleep = await cluster.CliAsync("-t", "30", "web1", "test.sleep", "4");
        Assert.Equal(0, sleep.ExitCode);
        Assert.Equal(1, metrics.Acks);
        Assert.Equal(2, metrics.Returns);
        Assert.Equal(0, metrics.Republished);
    }
}
