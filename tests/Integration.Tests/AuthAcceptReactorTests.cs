using Orchestrator.Master.Events;
using Orchestrator.Master.Reactor;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: Salt's classic key-accepting reactor. A master without auto_accept maps salt/auth to the repository's
/// reactor/auth-accept.sls (copied, with its policy file): a minion whose id the policy names is accepted without anyone
/// typing and starts; one it does not name stays pending, however often it asks.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class AuthAcceptReactorTests : IAsyncLifetime
{
    private readonly TempDir _trees = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var reactor = RepoPaths.CopyTree("reactor", _trees.Combine("reactor"));
        _cluster = await TestCluster.StartAsync(o =>
        {
            o.AutoAccept = false;
            o.Reactor.Rules = [new ReactorRule("salt/auth", [Path.Combine(reactor, "auth-accept.sls")])];
        });
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _trees.Dispose();
    }

    [Fact]
    public async Task AuthReactor_AcceptsIdsThePolicyNames_LeavesOthersPending()
    {
        using var strangerAsks = _cluster.MasterService<EventBus>()
            .Subscribe(tag => tag == EventTag.Auth);

        // AddMinionAsync waits for the minion's start event: it comes only once the reactor has accepted the key.
        await _cluster.AddMinionAsync("web7");
        await _cluster.AddMinionAsync("laptop1", waitForStart: false);
        for (var asked = 0; asked < 3;)
        {
            var e = await TestCluster.WaitForEventAsync(strangerAsks, "salt/auth of laptop1 (pending)");
            if (e.Data["id"] as string == "laptop1")
            {
                Assert.Equal("pend", e.Data["act"]);
                Assert.Equal(true, e.Data["result"]);
                Assert.StartsWith("-----BEGIN PUBLIC KEY-----", (string)e.Data["pub"]!);
                asked++;
            }
        }

        var pending = await _cluster.CliVerbAsync("key", "-l", "pending");
        var accepted = await _cluster.CliVerbAsync("key", "-l", "accepted");
        Assert.Contains("laptop1", pending.Stdout);
        Assert.DoesNotContain("web7", pending.Stdout);
        Assert.Contains("web7", accepted.Stdout);
        Assert.DoesNotContain("laptop1", accepted.Stdout);
        Assert.Equal(0, (await _cluster.CliAsync("web7", "test.ping")).ExitCode);
    }

    [Fact]
    public async Task ReactorTest_ShowsTheAcceptForAPolicyIdOnly()
    {
        var named = await ReactorTestAsync("pend", "db3");
        var stranger = await ReactorTestAsync("pend", "db3x");
        var accepted = await ReactorTestAsync("accept", "db3");

        var action = (Dictionary<string, object?>)Assert.Single(named)!;
        Assert.Equal("wheel.key.accept", action["fun"]);
        Assert.Equal("accept-db3", action["id"]);
        Assert.Equal("db3", ((Dictionary<string, object?>)action["kwarg"]!)["match"]);
        Assert.Empty(stranger);
        Assert.Empty(accepted);
    }

    /// <summary>What the reactor would do with a salt/auth event; fails on render errors, so "no action" means the policy said no.</summary>
    private async Task<List<object?>> ReactorTestAsync(string act, string id)
    {
        var result = await _cluster.CliVerbAsync("run", "--out", "json", "reactor.test", "tag=salt/auth",
            $"data={{\"act\": \"{act}\", \"id\": \"{id}\", \"result\": true, \"pub\": \"x\"}}");
        Assert.True(result.ExitCode == 0, result.ToString());
        var test = (Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!;
        Assert.False(test.ContainsKey("errors"), result.Stdout);
        return (List<object?>)test["actions"]!;
    }
}
