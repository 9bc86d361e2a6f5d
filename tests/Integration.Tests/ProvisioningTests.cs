using Orchestrator.Master.Cloud;
using Orchestrator.Master.Reactor;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario, end to end with the repository's trees: a load balancer minion (db1, roles db and lb) renders its backends
/// from the mine. <c>orch cloud -p web web3</c> starts a real orch-minion; its <c>salt/cloud/web3/created</c> event runs,
/// through the reactor, the orchestration states/orch/provisioned.sls: web3's highstate, its mine data, then db1's lb
/// state, so the backends list web3. <c>orch cloud -d web3</c> deletes its key (and so its mine data); the destroyed event
/// renders the backends again without it.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ProvisioningTests : IAsyncLifetime
{
    private readonly TempDir _trees = new();
    private TestCluster _cluster = null!;
    private string _managed = null!;

    private string Backends => Path.Combine(_managed, "db1", "lb", "backends.cfg");

    public async Task InitializeAsync()
    {
        _managed = _trees.Combine("managed");
        var config = _trees.Combine("config");
        Directory.CreateDirectory(Path.Combine(config, "cloud.providers.d"));
        Directory.CreateDirectory(Path.Combine(config, "cloud.profiles.d"));
        File.WriteAllText(Path.Combine(config, "cloud.providers.d", "local.conf"), "my-local:\n  driver: local\n  start_timeout: 60\n");
        File.WriteAllText(Path.Combine(config, "cloud.profiles.d", "web.conf"), "web:\n  provider: my-local\n  minion:\n    grains:\n      roles: [web]\n");
        var states = RepoPaths.CopyTree("states", _trees.Combine("states"));
        var pillars = RepoPaths.CopyTree("pillars", _trees.Combine("pillars"));
        // The repository's reactor files, with this test's managed-files root handed to both state runs.
        var pillar = $"{{\"node_pillar\": {{\"demo_host_changes\": false, \"demo_root\": \"{_managed}\"}}, \"lb_pillar\": {{\"demo_root\": \"{_managed}\"}}}}";
        var created = _trees.Combine("created.sls");
        File.WriteAllText(created, "provision-{{ data['name'] }}:\n  runner.state.orchestrate:\n    - args:\n      - mods: orch.provisioned\n"
            + $"      - pillar: {pillar[..^1]}, \"node\": \"{{{{ data['name'] }}}}\"}}\n");
        var destroyed = _trees.Combine("destroyed.sls");
        File.WriteAllText(destroyed, $"rebalance:\n  runner.state.orchestrate:\n    - args:\n      - mods: orch.balancer\n      - pillar: {pillar}\n");
        _cluster = await TestCluster.StartAsync(o =>
        {
            o.AutoAccept = true;
            o.ConfigDir = config;
            o.FileRoots["base"] = [states];
            o.PillarRoots["base"] = [pillars];
            o.Reactor.Rules =
            [
                new ReactorRule("salt/cloud/*/created", [created]),
                new ReactorRule("salt/cloud/*/destroyed", [destroyed]),
            ];
        });
        await _cluster.AddMinionAsync("db1", new Dictionary<string, object?>(StringComparer.Ordinal) { ["roles"] = new List<object?> { "db", "lb" } });
        var lb = await _cluster.CliAsync("-t", "60", "db1", "state.apply", "lb", $"pillar={{\"demo_root\": \"{_managed}\"}}");
        Assert.True(lb.ExitCode == 0, lb.ToString());
    }

    public async Task DisposeAsync()
    {
        var manager = _cluster.MasterService<CloudManager>();
        foreach (var node in manager.Nodes())
        {
            await manager.DestroyAsync(node, CancellationToken.None);
        }
        await _cluster.DisposeAsync();
        _trees.Dispose();
    }

    [Fact]
    public async Task NewNode_ConfiguresItself_AndJoinsTheLoadBalancer_ThenLeavesItWhenDestroyed()
    {
        Assert.DoesNotContain("web3", await File.ReadAllTextAsync(Backends));

        var create = await _cluster.CliVerbAsync("cloud", "-p", "web", "web3");

        Assert.True(create.ExitCode == 0, create.ToString());
        // web3's own highstate ran (its demo site's files), then db1's backends were rendered from web3's mine data.
        await Poll.UntilAsync(() => File.Exists(Backends) && File.ReadAllText(Backends).Contains("server web3 127.0.0.1:8083 check", StringComparison.Ordinal),
            "db1's backends to list web3", TimeSpan.FromSeconds(90));
        Assert.True(File.Exists(Path.Combine(_managed, "web3", "web", "htdocs", "index.html")));

        var destroy = await _cluster.CliVerbAsync("cloud", "-d", "web3", "-y");

        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        await Poll.UntilAsync(() => !File.ReadAllText(Backends).Contains("web3", StringComparison.Ordinal),
            "db1's backends to drop web3", TimeSpan.FromSeconds(60));
    }
}
