using System.Diagnostics;
using Orchestrator.Master.Cloud;
using Orchestrator.Master.Events;
using Orchestrator.Master.Keys;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: salt-cloud on a real master. <c>orch cloud -p</c> creates a node whose minion is a real <c>orch-minion</c>
/// process with its key already accepted (the master does not auto-accept, so a pending key would never start), the
/// node answers test.ping and shows in cloud.list_nodes, and the salt/cloud events come in Salt's order; <c>orch cloud -d</c>
/// stops the process and removes its key and root dir. Bad requests fail clearly and leave nothing behind. The netns
/// driver does the same inside a network namespace of its own.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class CloudTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private readonly TempDir _config = new();
    private readonly string _subnet = $"10.99.{Random.Shared.Next(100, 250)}.0/24";

    public async Task InitializeAsync() => _cluster = await StartAsync("127.0.0.1");

    private async Task<TestCluster> StartAsync(string listen)
    {
        Directory.CreateDirectory(_config.Combine("cloud.providers.d"));
        Directory.CreateDirectory(_config.Combine("cloud.profiles.d"));
        File.WriteAllText(_config.Combine("cloud.providers.d", "test.conf"), $"""
            my-local:
              driver: local
              start_timeout: 60
            my-netns:
              driver: netns
              subnet: {_subnet}
            """);
        File.WriteAllText(_config.Combine("cloud.profiles.d", "test.conf"), """
            base:
              provider: my-local
              minion:
                heartbeat_interval: 1
                log_level: info
            web:
              extends: base
              minion:
                grains:
                  role: web
            lost:
              provider: nowhere
            broken:
              provider: my-local
              minion:
                publish_port: 0
            isolated:
              provider: my-netns
              minion:
                grains:
                  role: isolated
            """);
        return await TestCluster.StartAsync(o =>
        {
            o.AutoAccept = false;
            o.Interface = listen;
            o.ConfigDir = _config.Path;
        });
    }

    public async Task DisposeAsync()
    {
        // Whatever a failed test left running is torn down: processes, keys, namespaces.
        var manager = _cluster.MasterService<CloudManager>();
        foreach (var node in manager.Nodes())
        {
            await manager.DestroyAsync(node, CancellationToken.None);
        }
        await _cluster.DisposeAsync();
        _config.Dispose();
    }

    private CloudNode Node(string name) => _cluster.MasterService<CloudManager>().Nodes().Single(n => n.Name == name);

    private KeyStore Keys => _cluster.MasterService<KeyStore>();

    private static Dictionary<string, object?> Json(CliResult cli) => (Dictionary<string, object?>)DataTree.FromJson(cli.Stdout)!;

    private static Dictionary<string, object?> At(Dictionary<string, object?> data, params string[] path) =>
        path.Aggregate(data, (d, key) => (Dictionary<string, object?>)d[key]!);

    [Fact]
    public async Task CreateWithLocalProvider_KeyAcceptedMinionAnswers_ThenDestroyRemovesEverything()
    {
        using var seen = _cluster.MasterService<EventBus>().Subscribe(tag =>
            tag.StartsWith("salt/cloud/web3/", StringComparison.Ordinal) || tag == EventTag.MinionStart("web3") || tag == "salt/auth");
        var clock = Stopwatch.StartNew();

        var created = await _cluster.CliVerbAsync("cloud", "-p", "web", "web3", "--out", "json");

        Assert.True(created.ExitCode == 0, created.ToString());
        output.WriteLine($"cloud.create to salt/minion/web3/start and created: {clock.ElapsedMilliseconds} ms");
        var info = At(Json(created), "web3");
        Assert.Equal(true, info["deployed"]);
        Assert.Equal("running", info["state"]);
        Assert.Equal("web", info["image"]);
        Assert.Equal(KeyState.Accepted, Keys.StateOf("web3"));
        Assert.Empty(Keys.List(KeyState.Pending));
        var node = Node("web3");
        Assert.True(CloudManager.IsRunning(node));
        Assert.Equal(node.Pid, MinionProcess.ReadPid(Path.Combine(node.RootDir, "minion.pid")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(node.RootDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_cluster.MasterOptions.CacheDir, "cloud-nodes", "web3.json")));

        var ping = await _cluster.CliAsync("web3", "test.ping");
        Assert.True(ping.ExitCode == 0, ping.ToString());
        Assert.Contains("True", ping.Stdout, StringComparison.Ordinal);
        var grain = await _cluster.CliAsync("web3", "grains.get", "role");
        Assert.Contains("web", grain.Stdout, StringComparison.Ordinal);

        var listed = await _cluster.CliVerbAsync("run", "cloud.list_nodes", "--out", "json");
        Assert.Equal("running", At(Json(listed), "my-local", "local", "web3")["state"]);

        var destroyed = await _cluster.CliVerbAsync("cloud", "-d", "web3", "-y", "--out", "json");

        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        Assert.Equal(true, At(Json(destroyed), "my-local", "local")["web3"]);
        Assert.False(File.Exists($"/proc/{node.Pid}/cmdline") && File.ReadAllText($"/proc/{node.Pid}/cmdline").Contains(node.RootDir, StringComparison.Ordinal));
        Assert.Null(Keys.StateOf("web3"));
        Assert.False(Directory.Exists(node.RootDir));
        Assert.Empty(_cluster.MasterService<CloudManager>().Nodes());

        var tags = new List<string>();
        while (seen.Reader.TryRead(out var e))
        {
            Assert.False(e.Tag == "salt/auth" && e.Data.GetValueOrDefault("act") is "pend", "the node's key went pending");
            if (e.Tag != "salt/auth")
            {
                tags.Add(e.Tag);
                if (e.Tag.EndsWith("/creating", StringComparison.Ordinal) || e.Tag.EndsWith("/created", StringComparison.Ordinal))
                {
                    Assert.Equal("web3", e.Data["name"]);
                    Assert.Equal("web", e.Data["profile"]);
                    Assert.Equal("my-local:local", e.Data["provider"]);
                }
            }
        }
        Assert.Equal(
            ["salt/cloud/web3/creating", "salt/cloud/web3/requesting", "salt/minion/web3/start", "salt/cloud/web3/created",
             "salt/cloud/web3/destroying", "salt/cloud/web3/destroyed"],
            tags);
    }

    [Fact]
    public async Task ProfileWithUnknownProvider_FailsClearlyAndCreatesNothing()
    {
        using var seen = _cluster.MasterService<EventBus>().Subscribe(tag => tag.StartsWith("salt/cloud/", StringComparison.Ordinal));

        var result = await _cluster.CliVerbAsync("cloud", "-p", "lost", "ghost");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("names provider 'nowhere', which is not configured", result.Stderr, StringComparison.Ordinal);
        Assert.Null(Keys.StateOf("ghost"));
        Assert.Empty(_cluster.MasterService<CloudManager>().Nodes());
        Assert.False(Directory.Exists(Path.Combine(_cluster.MasterOptions.CacheDir, "cloud", "ghost")));
        Assert.False(seen.Reader.TryRead(out _));
        var unknown = await _cluster.CliVerbAsync("cloud", "-p", "nosuch", "ghost");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Profile nosuch is not defined", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateNameOrExistingKey_FailsAndLeavesTheExistingAlone()
    {
        var first = await _cluster.CliVerbAsync("cloud", "-p", "web", "dup1");
        Assert.True(first.ExitCode == 0, first.ToString());
        var node = Node("dup1");

        var again = await _cluster.CliVerbAsync("cloud", "-p", "web", "dup1");

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("dup1 already exists under my-local:local", again.Stderr, StringComparison.Ordinal);
        Assert.True(CloudManager.IsRunning(Node("dup1")));
        Assert.Equal(node.Pid, Node("dup1").Pid);
        Assert.Equal(KeyState.Accepted, Keys.StateOf("dup1"));

        // A minion already known to the master by that name (here: a pending key) is never replaced by a node.
        Keys.Observe("taken", File.ReadAllText(Path.Combine(node.RootDir, "pki", "minion.pub")), autoAccept: false);
        var taken = await _cluster.CliVerbAsync("cloud", "-p", "web", "taken");
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains("a minion key for taken already exists on the master (pending)", taken.Stderr, StringComparison.Ordinal);
        Assert.Equal(KeyState.Pending, Keys.StateOf("taken"));
        Assert.False(Directory.Exists(Path.Combine(_cluster.MasterOptions.CacheDir, "cloud", "taken")));

        var missing = await _cluster.CliVerbAsync("cloud", "-d", "nosuch", "-y");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("The following VM's were not found: nosuch", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MinionThatCannotStart_CreateFailsAndUndoesKeyRootAndRecord()
    {
        using var seen = _cluster.MasterService<EventBus>().Subscribe(tag => tag.StartsWith("salt/cloud/bad1/", StringComparison.Ordinal));

        var result = await _cluster.CliVerbAsync("cloud", "-p", "broken", "bad1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("creating bad1 failed: the minion exited before it connected", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("publish_port", result.Stderr, StringComparison.Ordinal);
        Assert.Null(Keys.StateOf("bad1"));
        Assert.Empty(_cluster.MasterService<CloudManager>().Nodes());
        Assert.False(Directory.Exists(Path.Combine(_cluster.MasterOptions.CacheDir, "cloud", "bad1")));
        var tags = new List<string>();
        while (seen.Reader.TryRead(out var e))
        {
            tags.Add(e.Tag);
        }
        Assert.DoesNotContain("salt/cloud/bad1/created", tags);
    }

    [Fact]
    public async Task ListProfilesAndProviders_HaveSaltsShapes()
    {
        var providers = Json(await _cluster.CliVerbAsync("cloud", "--list-providers", "--out", "json"));
        Assert.Equal(["my-local", "my-netns"], providers.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(At(providers, "my-local", "local"));

        var profiles = Json(await _cluster.CliVerbAsync("cloud", "--list-profiles", "--out", "json"));
        Assert.Contains("my-local", At(profiles, "web").Keys);
        Assert.Contains("my-netns", At(profiles, "isolated").Keys);
        var ofNetns = Json(await _cluster.CliVerbAsync("cloud", "--list-profiles", "my-netns", "--out", "json"));
        Assert.Equal(["isolated"], ofNetns.Keys);

        var query = Json(await _cluster.CliVerbAsync("cloud", "-Q", "--out", "json"));
        Assert.Empty(At(query, "my-local", "local"));
    }

    [NetnsFact]
    public async Task NetnsProvider_MasterOnLoopbackOnly_FailsSayingWhatToSet()
    {
        var result = await _cluster.CliVerbAsync("cloud", "-p", "isolated", "ns0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("but the master listens on 127.0.0.1 only: set 'interface: 0.0.0.0'", result.Stderr, StringComparison.Ordinal);
        Assert.Null(Keys.StateOf("ns0"));
        Assert.Empty(_cluster.MasterService<CloudManager>().Nodes());
        Assert.False(File.Exists("/run/netns/orch-ns0"));
    }

    [NetnsFact]
    public async Task NetnsProvider_NodeInItsOwnNamespaceAnswers_ThenDestroyRemovesNamespaceAndVeth()
    {
        await _cluster.DisposeAsync();
        _cluster = await StartAsync("0.0.0.0");

        var created = await _cluster.CliVerbAsync("cloud", "-p", "isolated", "ns1", "--out", "json");

        Assert.True(created.ExitCode == 0, created.ToString());
        var node = Node("ns1");
        Assert.True(File.Exists("/run/netns/orch-ns1"));
        Assert.True(Directory.Exists($"/sys/class/net/{node.HostVeth}"));
        Assert.StartsWith(_subnet[..^5], node.Address, StringComparison.Ordinal);
        var ipv4 = await _cluster.CliAsync("ns1", "grains.get", "ipv4", "--out", "json");
        Assert.True(ipv4.ExitCode == 0, ipv4.ToString());
        Assert.Contains(node.Address!, ipv4.Stdout, StringComparison.Ordinal);
        Assert.Equal(KeyState.Accepted, Keys.StateOf("ns1"));

        var destroyed = await _cluster.CliVerbAsync("cloud", "-d", "ns1", "-y");

        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        Assert.False(File.Exists("/run/netns/orch-ns1"));
        Assert.False(Directory.Exists($"/sys/class/net/{node.HostVeth}"));
        Assert.Null(Keys.StateOf("ns1"));
        Assert.False(Directory.Exists(node.RootDir));
    }
}
