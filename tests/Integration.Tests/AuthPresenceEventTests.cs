using Orchestrator.Master.Events;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a new minion on a master without auto-accept, as Salt's classic key reactor sees it: <c>salt/auth</c> with
/// act pend (and the minion's public key) while it waits, <c>salt/key</c> when the operator accepts it, then act accept;
/// with <c>presence_events</c> on, <c>salt/presence/change</c> reports it new, then lost once it stops.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class AuthPresenceEventTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(o =>
    {
        o.AutoAccept = false;
        o.PresenceEvents = true;
        o.LoopInterval = TimeSpan.FromMilliseconds(300);
        o.PresenceTimeout = TimeSpan.FromSeconds(2);
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PendingKey_AuthPend_ThenKeyAccept_AuthAccept_PresenceNewThenLost()
    {
        var bus = _cluster.MasterService<EventBus>();
        using var auth = bus.Subscribe(tag => tag == EventTag.Auth);
        using var key = bus.Subscribe(tag => tag == EventTag.Key);
        using var change = bus.Subscribe(tag => tag == EventTag.PresenceChange);
        using var present = bus.Subscribe(tag => tag == EventTag.PresencePresent);

        var minion = await _cluster.AddMinionAsync("web1", waitForStart: false);
        var pend = await TestCluster.WaitForEventAsync(auth, "salt/auth act pend");
        Assert.Equal("web1", pend.Data["id"]);
        Assert.Equal("pend", pend.Data["act"]);
        Assert.Equal(true, pend.Data["result"]);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", (string)pend.Data["pub"]!);

        var accepted = await _cluster.CliVerbAsync("key", "-a", "web1", "-y");
        Assert.Equal(0, accepted.ExitCode);
        var keyEvent = await TestCluster.WaitForEventAsync(key, "salt/key");
        Assert.Equal("accept", keyEvent.Data["act"]);
        Assert.Equal("web1", keyEvent.Data["id"]);
        MasterEvent next;
        do
        {
            next = await TestCluster.WaitForEventAsync(auth, "salt/auth act accept");
        }
        while (next.Data["act"] is "pend");
        Assert.Equal("accept", next.Data["act"]);
        Assert.Equal(true, next.Data["result"]);

        var gained = await TestCluster.WaitForEventAsync(change, "salt/presence/change with web1 new");
        Assert.Equal(["web1"], (List<object?>)gained.Data["new"]!);
        Assert.Empty((List<object?>)gained.Data["lost"]!);
        MasterEvent listing;
        do
        {
            listing = await TestCluster.WaitForEventAsync(present, "salt/presence/present listing web1");
        }
        while (!((List<object?>)listing.Data["present"]!).Contains("web1"));

        await minion.StopAsync();
        var lost = await TestCluster.WaitForEventAsync(change, "salt/presence/change with web1 lost");
        Assert.Equal(["web1"], (List<object?>)lost.Data["lost"]!);
    }
}
