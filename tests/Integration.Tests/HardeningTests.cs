using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: an unauthenticated peer on loopback tries to crash or silence the master. The master keeps serving its real
/// minions through every attempt.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class HardeningTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task HugeSubscriptionOnThePublishPort_IsRefused_AndPublishesGoOn()
    {
        // NetMQ's subscription trie recurses once per byte: 256 KiB of topic used to overflow the master's stack on the next
        // publish, killing the process. The peer speaks ZMTP by hand (a NetMQ SUB would overflow its own stack first).
        using var attacker = await RawZmtpSubscriber.ConnectAsync(_cluster.MasterOptions.PublishPort);
        await attacker.SubscribeAsync(new byte[256 * 1024]);

        for (var i = 0; i < 10; i++)
        {
            var ping = await _cluster.CliAsync("web1", "test.ping");
            Assert.True(ping.ExitCode == 0, ping.ToString());
            await Task.Delay(100);
        }
        Assert.True(await attacker.IsClosedByPeerAsync(TimeSpan.FromSeconds(5)), "the master kept the peer with the oversized subscription");
    }
}
