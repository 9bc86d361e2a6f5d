using Orchestrator.Master.Reactor;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: what the repository's reactor/heal-nginx.sls does with the service beacon's events, asked of a real master
/// with reactor.test (which runs nothing): a down report restarts that minion's nginx on that minion only; an up report,
/// another service, or data naming another minion than the tag does nothing.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class HealNginxReactorTests : IAsyncLifetime
{
    private readonly TempDir _trees = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var reactor = RepoPaths.CopyTree("reactor", _trees.Combine("reactor"));
        _cluster = await TestCluster.StartAsync(o =>
            o.Reactor.Rules = [new ReactorRule("salt/beacon/*/service/orch-nginx-*", [Path.Combine(reactor, "heal-nginx.sls")])]);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _trees.Dispose();
    }

    private static string Event(string id, string service, bool running) =>
        $"{{\"id\": \"{id}\", \"service_name\": \"{service}\", \"{service}\": {{\"running\": {(running ? "true" : "false")}}}}}";

    [Fact]
    public async Task DownReport_RestartsThatMinionsNginxThere()
    {
        var action = (Dictionary<string, object?>)Assert.Single(
            await ReactorTestAsync("salt/beacon/web2/service/orch-nginx-web2", Event("web2", "orch-nginx-web2", running: false)))!;

        Assert.Equal("local.service.restart", action["fun"]);
        Assert.Equal("web2", action["tgt"]);
        Assert.Equal("glob", action["tgt_type"]);
        Assert.Equal("orch-nginx-web2", ((Dictionary<string, object?>)action["kwarg"]!)["name"]);
    }

    [Fact]
    public async Task UpReport_OtherService_OrDataNamingAnotherMinion_DoNothing()
    {
        Assert.Empty(await ReactorTestAsync("salt/beacon/web2/service/orch-nginx-web2", Event("web2", "orch-nginx-web2", running: true)));
        Assert.Empty(await ReactorTestAsync("salt/beacon/web2/service/orch-nginx-web1", Event("web2", "orch-nginx-web1", running: false)));
        Assert.Empty(await ReactorTestAsync("salt/beacon/web2/service/orch-nginx-web1", Event("web1", "orch-nginx-web1", running: false)));
    }

    /// <summary>The actions reactor.test lists; fails on render errors, so "no action" means the file decided so.</summary>
    private async Task<List<object?>> ReactorTestAsync(string tag, string data)
    {
        var result = await _cluster.CliVerbAsync("run", "--out", "json", "reactor.test", $"tag={tag}", $"data={data}");
        Assert.True(result.ExitCode == 0, result.ToString());
        var test = (Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!;
        Assert.False(test.ContainsKey("errors"), result.Stdout);
        Assert.Single((List<object?>)test["rules"]!);
        return (List<object?>)test["actions"]!;
    }
}
