using Orchestrator.Master.Runners;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a Salt user asks a minion for the master's runners, <c>orch run1 sys.list_runners</c> and
/// <c>sys.runner_doc jobs.lookup_jid</c>, over the minion's real session with a real master; <c>orch call</c> does the same
/// through the master, and <c>orch call --local</c>, with no master, fails saying runners live on the master.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class SysRunnersTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.AddMinionAsync("run1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<object?> ReturnOf(params string[] words)
    {
        var result = await _cluster.CliAsync(["--out", "json", "--static", "run1", .. words]);
        Assert.Equal(0, result.ExitCode);
        return Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(result.Stdout))["run1"];
    }

    [Fact]
    public async Task ListRunners_NamesTheMastersRunnerModules_AndAGlobSelects()
    {
        var all = Assert.IsType<List<object?>>(await ReturnOf("sys.list_runners")).Cast<string>().ToList();
        var some = Assert.IsType<List<object?>>(await ReturnOf("sys.list_runners", "j*", "manage"));

        Assert.Contains("jobs", all);
        Assert.Contains("manage", all);
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        Assert.Equal(_cluster.MasterService<RunnerRegistry>().Names.Select(n => n[..n.IndexOf('.')]).Distinct(), all);
        Assert.Equal(new List<object?> { "jobs", "manage" }, some);
    }

    [Fact]
    public async Task RunnerDoc_ReturnsTheMastersDocs_ForAFunctionAndAGlob()
    {
        var masterDocs = _cluster.MasterService<RunnerRegistry>().Docs();

        var one = Assert.IsType<Dictionary<string, object?>>(await ReturnOf("sys.runner_doc", "jobs.lookup_jid"));
        var glob = Assert.IsType<Dictionary<string, object?>>(await ReturnOf("sys.runner_doc", "manage.*"));
        var printed = await _cluster.CliAsync("run1", "sys.runner_doc", "jobs.lookup_jid");

        Assert.Equal(masterDocs["jobs.lookup_jid"], Assert.Single(one).Value);
        Assert.Contains("manage.status", glob.Keys);
        Assert.All(glob.Keys, k => Assert.StartsWith("manage.", k, StringComparison.Ordinal));
        Assert.Equal(masterDocs.Keys.Count(k => k.StartsWith("manage.", StringComparison.Ordinal)), glob.Count);
        Assert.Equal(0, printed.ExitCode);
        Assert.Contains("jobs.lookup_jid", printed.Stdout, StringComparison.Ordinal);
        Assert.Contains(masterDocs["jobs.lookup_jid"], printed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrchCall_AsksTheMaster_ButLocalFailsSayingRunnersLiveOnTheMaster()
    {
        var dir = _cluster.Root.Combine("call-run1");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "minion"), $"""
            id: run1
            master: 127.0.0.1
            master_port: {_cluster.MasterOptions.RetPort}
            publish_port: {_cluster.MasterOptions.PublishPort}
            pki_dir: {_cluster.Minions["run1"].Options.PkiDir}
            cachedir: {Path.Combine(dir, "cache")}
            """);

        var called = await Call(["call", "-c", dir, "--out", "json", "sys.list_runners"]);
        var local = await Call(["call", "--local", "-c", dir, "sys.list_runners"]);
        var localDoc = await Call(["call", "--local", "-c", dir, "sys.runner_doc", "jobs.lookup_jid"]);

        Assert.Equal(0, called.ExitCode);
        Assert.Contains("jobs", Assert.IsType<List<object?>>(Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(called.Stdout))["local"]));
        foreach (var failed in new[] { local, localDoc })
        {
            Assert.NotEqual(0, failed.ExitCode);
            Assert.Contains("runners live on the master", failed.Stdout + failed.Stderr, StringComparison.Ordinal);
            Assert.Contains("orch run", failed.Stdout + failed.Stderr, StringComparison.Ordinal);
        }
    }

    private static async Task<CliResult> Call(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}
