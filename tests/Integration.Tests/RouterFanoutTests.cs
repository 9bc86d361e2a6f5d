using NetMQ;
using NetMQ.Sockets;
using Orchestrator.Master.Transport;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a master set to fan publishes out over each minion's request connection (publish_fanout: router, what
/// auto picks above 500 connected minions). Jobs must reach every minion, a lost publish must still be re-sent, and
/// nothing may go out on the PUB socket.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class RouterFanoutTests
{
    [Fact]
    public async Task RouterFanout_ReachesEveryMinion_ResendsALostPublish_AndLeavesThePubSocketSilent()
    {
        await using var cluster = await TestCluster.StartAsync(o => o.PublishFanout = "router");
        await cluster.AddMinionAsync("web1");
        var web2 = await cluster.AddMinionAsync("web2");
        using var listener = new SubscriberSocket();
        listener.Subscribe("");
        listener.Connect($"tcp://127.0.0.1:{cluster.MasterOptions.PublishPort}");
        var dropped = 0;
        // Lose web2's first copy of the job, as a full pipe would.
        web2.Connection.PublishFilter = _ => Interlocked.Increment(ref dropped) > 1;

        var result = await cluster.CliAsync("--out", "json", "--static", "*", "test.echo", "fanned-out");

        Assert.Equal(0, result.ExitCode);
        var data = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(result.Stdout)!;
        Assert.Equal(["web1", "web2"], data.Keys.Order(StringComparer.Ordinal));
        Assert.All(data.Values, v => Assert.Equal("fanned-out", v));
        Assert.True(dropped >= 2, "web2 never saw the re-send");
        Assert.True(cluster.MasterService<MasterMetrics>().Republished >= 1);
        Assert.False(listener.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(300), out _), "a frame went out on the PUB socket");
    }
}
