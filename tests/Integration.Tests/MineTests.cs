using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the repository's state and pillar trees (copied) served by a real master to web1 and web2 (roles web, whose
/// pillar has mine_functions) and lb1 (role lb). The web minions send their mine at start-up; lb1 reads both with mine.get
/// by glob and by grain, and renders states/lb from the mine with state.apply. Deleting, flushing, allow_tgt, the size
/// limit, a master restart and a deleted key are checked through the CLI, as an operator would.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class MineTests : IAsyncLifetime
{
    private static readonly List<object?> Loopback = ["127.0.0.1"];

    private TestCluster _cluster = null!;
    private TempDir _trees = null!;

    public async Task InitializeAsync()
    {
        _trees = new TempDir();
        _cluster = await TestCluster.StartAsync(o =>
        {
            o.FileRoots["base"] = [RepoPaths.CopyTree("states", Path.Combine(_trees.Path, "states"))];
            o.PillarRoots["base"] = [RepoPaths.CopyTree("pillars", Path.Combine(_trees.Path, "pillars"))];
            o.Mine.MaxSize = 4096;
        });
        await _cluster.AddMinionAsync("web1", Roles("web"));
        await _cluster.AddMinionAsync("web2", Roles("web"));
        await _cluster.AddMinionAsync("lb1", Roles("lb"));
        await Poll.UntilAsync(async () => (await MineGetAsync("lb1", "web*", "internal_ip")).Count == 2, "the web minions' start-up mine updates");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _trees.Dispose();
    }

    private static Dictionary<string, object?> Roles(string role) => new(StringComparer.Ordinal) { ["roles"] = new List<object?> { role } };

    private async Task<object?> ReturnOfAsync(string minion, params string[] args)
    {
        var result = await _cluster.CliAsync(["--out", "json", "--static", "-t", "30", minion, .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return ((Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!)[minion];
    }

    private async Task<Dictionary<string, object?>> CallAsync(string minion, params string[] args) =>
        (Dictionary<string, object?>)(await ReturnOfAsync(minion, args))!;

    private Task<Dictionary<string, object?>> MineGetAsync(string asker, params string[] args) => CallAsync(asker, ["mine.get", .. args]);

    private async Task<Dictionary<string, object?>> RunAsync(params string[] args)
    {
        var result = await _cluster.CliVerbAsync("run", ["--out", "json", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return (Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!;
    }

    [Fact]
    public async Task MineGet_ReadsBothWebMinionsByGlobAndByGrain()
    {
        var byGlob = await MineGetAsync("lb1", "web*", "internal_ip");
        var byGrain = await MineGetAsync("lb1", "roles:web", "internal_ip", "tgt_type=grain");
        var nested = await MineGetAsync("lb1", "web1", "internal_ip,network.ip_addrs");

        Assert.Equal(new Dictionary<string, object?> { ["web1"] = Loopback, ["web2"] = Loopback }, byGlob);
        Assert.Equal(byGlob, byGrain);
        Assert.Empty(await MineGetAsync("lb1", "roles:db", "internal_ip", "tgt_type=grain"));
        Assert.Equal(["internal_ip", "network.ip_addrs"], nested.Keys.Order());
        Assert.Equal(Loopback, ((Dictionary<string, object?>)nested["internal_ip"]!)["web1"]);
        Assert.Equal(new Dictionary<string, object?> { ["web1"] = Loopback, ["web2"] = Loopback }, await RunAsync("mine.get", "web*", "internal_ip"));
        var valid = await CallAsync("web1", "mine.valid");
        Assert.Equal(new List<object?> { new Dictionary<string, object?> { ["include_loopback"] = true }, new Dictionary<string, object?> { ["cidr"] = "127.0.0.0/8" } },
            ((Dictionary<string, object?>)valid["internal_ip"]!)["network.ip_addrs"]);
    }

    [Fact]
    public async Task DeleteAndFlush_RemoveOnlyTheMinionsOwnData()
    {
        Assert.Equal(true, await ReturnOfAsync("web1", "mine.delete", "internal_ip"));

        Assert.Equal(["web2"], (await MineGetAsync("lb1", "web*", "internal_ip")).Keys);
        Assert.Equal(["web1", "web2"], (await MineGetAsync("lb1", "web*", "network.ip_addrs")).Keys.Order());

        Assert.Equal(true, await ReturnOfAsync("web2", "mine.flush"));

        Assert.Empty(await MineGetAsync("lb1", "web*", "internal_ip"));
        Assert.Equal(["web1"], (await MineGetAsync("lb1", "web*", "network.ip_addrs")).Keys);

        var update = await _cluster.CliAsync("--out", "json", "--static", "-t", "30", "web*", "mine.update");
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Equal(2, (await MineGetAsync("lb1", "web*", "internal_ip")).Count);
    }

    [Fact]
    public async Task MineData_SurvivesAMasterRestart_AndGoesWithTheKey()
    {
        Assert.Equal(true, await ReturnOfAsync("web1", "mine.send", "release", "mine_function=test.echo", "v1.2.3"));

        await _cluster.RestartMasterAsync();

        Assert.Equal(new Dictionary<string, object?> { ["web1"] = "v1.2.3" }, await RunAsync("mine.get", "*", "release"));
        var file = Path.Combine(_cluster.MasterOptions.CacheDir, "mine", "web1.mpack");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var deleted = await _cluster.CliVerbAsync("key", "-d", "web1", "-y");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.False(File.Exists(file));
        Assert.Empty(await RunAsync("mine.get", "*", "release"));
    }

    [Fact]
    public async Task AMinion_WritesOnlyItsOwnEntries()
    {
        // web2 sends web1's function names with forged values: they land under web2, the id its key sealed.
        Assert.Equal(true, await ReturnOfAsync("web2", "mine.send", "internal_ip", "mine_function=test.echo", "forged"));

        var result = await MineGetAsync("lb1", "web*", "internal_ip");

        Assert.Equal(Loopback, result["web1"]);
        Assert.Equal("forged", result["web2"]);
    }

    [Fact]
    public async Task AllowTgt_LimitsWhoMayRead_AndTheSizeLimitKeepsTheOldData()
    {
        Assert.Equal(true, await ReturnOfAsync("web1", "mine.send", "secret", "mine_function=test.echo", "s3", "allow_tgt=G@roles:lb", "allow_tgt_type=compound"));

        Assert.Equal(new Dictionary<string, object?> { ["web1"] = "s3" }, await MineGetAsync("lb1", "web1", "secret"));
        Assert.Empty(await MineGetAsync("web2", "web1", "secret"));

        var big = await _cluster.CliAsync("--out", "json", "-t", "30", "web1", "mine.send", "big", "mine_function=test.echo", new string('x', 5000));

        Assert.NotEqual(0, big.ExitCode);
        Assert.Contains("mine_max_size", big.Stdout + big.Stderr);
        Assert.Equal(new Dictionary<string, object?> { ["web1"] = "s3" }, await MineGetAsync("lb1", "web1", "secret"));
        Assert.Empty(await MineGetAsync("lb1", "web1", "big"));
    }

    [Fact]
    public async Task StateApply_RendersTheLoadBalancerFromTheMine()
    {
        var root = _cluster.Root.Combine("managed");

        var result = await _cluster.CliAsync("--out", "json", "--static", "-t", "60", "lb1", "state.apply", "lb", $"pillar={{\"demo_root\": \"{root}\"}}");

        Assert.True(result.ExitCode == 0, result.ToString());
        var config = await File.ReadAllTextAsync(Path.Combine(root, "lb1", "lb", "backends.cfg"));
        Assert.Contains("    server web1 127.0.0.1:8081 check\n", config);
        Assert.Contains("    server web2 127.0.0.1:8082 check", config);
    }

    [Fact]
    public async Task Runner_MineUpdate_RunsOnTheTargetsAndReturnsTheirAnswers()
    {
        Assert.Equal(true, await ReturnOfAsync("web1", "mine.flush"));

        var result = await RunAsync("mine.update", "web1");

        Assert.Equal(new Dictionary<string, object?> { ["web1"] = true }, result);
        Assert.Equal(["web1", "web2"], (await MineGetAsync("lb1", "web*", "internal_ip")).Keys.Order());
    }
}
