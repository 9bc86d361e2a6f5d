using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the repository's example state and pillar trees (copied to a temp dir) served by a real master to web1, web2
/// and db1. state.apply renders Jinja with pillar, fetches salt:// templates, changes things once and nothing the second
/// time; each minion sees only its own pillar.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class StateApplyTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private string _demoRoot = null!;

    public async Task InitializeAsync()
    {
        var trees = new TempDir();
        _cluster = await TestCluster.StartAsync(o =>
        {
            o.FileRoots["base"] = [RepoPaths.CopyTree("states", Path.Combine(trees.Path, "states"))];
            o.PillarRoots["base"] = [RepoPaths.CopyTree("pillars", Path.Combine(trees.Path, "pillars"))];
        });
        _demoRoot = _cluster.Root.Combine("managed");
        await _cluster.AddMinionAsync("web1", Roles("web"));
        await _cluster.AddMinionAsync("web2", Roles("web"));
        await _cluster.AddMinionAsync("db1", Roles("db"));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Dictionary<string, object?> Roles(string role) => new(StringComparer.Ordinal) { ["roles"] = new List<object?> { role } };

    private async Task<Dictionary<string, object?>> ApplyAsync(string target)
    {
        var result = await _cluster.CliAsync("--out", "json", "--static", "-t", "60", target, "state.apply", $"pillar={{\"demo_root\": \"{_demoRoot}\", \"demo_host_changes\": false}}");
        Assert.True(result.ExitCode == 0, result.ToString());
        return (Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!;
    }

    private static IEnumerable<Dictionary<string, object?>> States(Dictionary<string, object?> returns, string minion) =>
        ((Dictionary<string, object?>)returns[minion]!).Values.Cast<Dictionary<string, object?>>();

    [Fact]
    public async Task StateApply_ChangesOnceThenNothingAndRendersPillarIntoTemplates()
    {
        var first = await ApplyAsync("*");

        Assert.Equal(["db1", "web1", "web2"], first.Keys.Order());
        Assert.All(States(first, "web1"), s => Assert.Equal(true, s["result"]));
        Assert.Contains(States(first, "web1"), s => s["__id__"] as string == "web-config" && ((Dictionary<string, object?>)s["changes"]!).Count > 0);
        var site = await File.ReadAllTextAsync(Path.Combine(_demoRoot, "web1", "web", "site.conf"));
        Assert.Contains("listen 8081;", site);
        Assert.Contains("server_name web1.example.test;", site);
        Assert.Contains("location /static {", site);
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_demoRoot, "web2", "web", "reloads.log")));
        Assert.Contains("max_connections = 200", await File.ReadAllTextAsync(Path.Combine(_demoRoot, "db1", "db", "db.conf")));
        Assert.False(File.Exists(Path.Combine(_demoRoot, "db1", "web", "site.conf")));

        var second = await ApplyAsync("*");

        foreach (var minion in second.Keys)
        {
            Assert.All(States(second, minion), s => Assert.Empty((Dictionary<string, object?>)s["changes"]!));
        }
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_demoRoot, "web2", "web", "reloads.log")));
    }

    [Fact]
    public async Task Pillar_IsCompiledPerMinionAndNeverShared()
    {
        var db = await _cluster.CliAsync("--out", "json", "--static", "db1", "pillar.get", "db:password");
        var web = await _cluster.CliAsync("--out", "json", "--static", "web1", "pillar.items");

        Assert.Contains("not-a-real-secret", db.Stdout);
        Assert.DoesNotContain("not-a-real-secret", web.Stdout);
        Assert.DoesNotContain("max_connections", web.Stdout);
        Assert.Contains("example.test", web.Stdout);
    }

    [Fact]
    public async Task PillarTarget_SelectsMinionsByTheirPillarOnTheMaster()
    {
        var result = await _cluster.CliAsync("--out", "json", "--static", "-I", "web:port:8080", "test.ping");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["web1", "web2"], ((Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!).Keys.Order());
    }

    [Fact]
    public async Task BrokenSls_FailsWithTheFileAndLineNamed()
    {
        var root = _cluster.MasterOptions.FileRoots["base"][0];
        await File.WriteAllTextAsync(Path.Combine(root, "broken.sls"), "ok:\n  test.nop\n{% if %}\n");

        var result = await _cluster.CliAsync("--out", "json", "--static", "web1", "state.apply", "broken");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("broken.sls", result.Stdout);
        Assert.Contains("line 3", result.Stdout);
    }

    [Fact]
    public async Task CallThroughTheMaster_RunsHereWithPillarAndFilesFromTheMaster()
    {
        var dir = _cluster.Root.Combine("caller");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "minion"), $"""
            id: caller1
            master: 127.0.0.1
            master_port: {_cluster.MasterOptions.RetPort}
            publish_port: {_cluster.MasterOptions.PublishPort}
            pki_dir: {_cluster.Root.Combine("caller", "pki")}
            cachedir: {_cluster.Root.Combine("caller", "cache")}
            grains:
              roles: [db]
            """);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await Cli.CliApp.RunAsync(["call", "-c", dir, "--out", "json", "pillar.get", "db:max_connections"], stdout, stderr, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_cluster.MasterOptions.FileRoots["base"][0], "hello.sh"), "#!/bin/sh\necho served-by-the-master\n");
        var script = new StringWriter();
        var scriptExit = await Cli.CliApp.RunAsync(["call", "-c", dir, "--out", "json", "cmd.script", "salt://hello.sh"], script, new StringWriter(), CancellationToken.None);

        Assert.True(exit == 0, stdout + stderr.ToString());
        Assert.Contains("\"local\": 200", stdout.ToString());
        Assert.Equal(0, scriptExit);
        Assert.Contains("served-by-the-master", script.ToString());
    }
}
