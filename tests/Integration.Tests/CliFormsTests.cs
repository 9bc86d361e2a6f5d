using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the command-line forms a Salt operator types daily, against a real master and three minions: options before
/// the verb, per-verb help, -l, --hide-timeout, --summary, --subset, --failhard with batches, --versions-report, and the
/// outputter each function declares (state.show_sls as data, state runs as highstate in orch, orch run and lookup_jid).
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class CliFormsTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private TempDir _states = null!;

    public async Task InitializeAsync()
    {
        _states = new TempDir();
        await File.WriteAllTextAsync(Path.Combine(_states.Path, "hello.sls"), "hello:\n  test.succeed_with_changes:\n    - name: greet\n");
        _cluster = await TestCluster.StartAsync(o => o.FileRoots["base"] = [_states.Path]);
        foreach (var id in new[] { "web1", "web2", "db1" })
        {
            await _cluster.AddMinionAsync(id);
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _states.Dispose();
    }

    /// <summary>The CLI with exactly these words (the test gives -c where it wants it).</summary>
    private static async Task<CliResult> Orch(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task GlobalOptionsBeforeTheVerb_Work_ForKeyAndRun()
    {
        var dir = _cluster.ConfigDir;
        var keys = await Orch("-c", dir, "key", "-L");
        var accept = await Orch("-c", dir, "key", "-A", "-y");
        var status = await Orch("-c", dir, "run", "manage.status");
        var jobs = await Orch("--out", "json", "-c", dir, "run", "jobs.list_jobs");

        Assert.Equal(0, keys.ExitCode);
        Assert.Contains("Accepted Keys:", keys.Stdout, StringComparison.Ordinal);
        Assert.Contains("web1", keys.Stdout, StringComparison.Ordinal);
        // Every key is accepted already (auto_accept): nothing pending to accept, said as salt-key says it.
        Assert.Equal(1, accept.ExitCode);
        Assert.Contains("does not match any unaccepted keys", accept.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("up:", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, jobs.ExitCode);
        Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(jobs.Stdout));
    }

    [Theory]
    [InlineData("key", "orch key [OPTIONS]")]
    [InlineData("run", "orch run [OPTIONS]")]
    [InlineData("call", "orch call [OPTIONS]")]
    public async Task EveryVerbHasItsHelp(string verb, string synopsis)
    {
        var help = await Orch(verb, "--help");
        var shortHelp = await Orch("-c", _cluster.ConfigDir, verb, "-h");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains(synopsis, help.Stdout, StringComparison.Ordinal);
        Assert.Equal(help.Stdout, shortHelp.Stdout);
    }

    [Fact]
    public async Task AnUnknownOptionNamesItsVerbsHelp_AndExits2()
    {
        var result = await Orch("-c", _cluster.ConfigDir, "key", "--subset", "2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option '--subset' for orch key", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("orch key --help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogLevelDebug_ShowsWhatTheCliDid_AndABadLevelIsAUsageError()
    {
        var debug = await _cluster.CliAsync("-l", "debug", "web1", "test.ping");
        var bad = await _cluster.CliAsync("-l", "loud", "web1", "test.ping");

        Assert.Equal(0, debug.ExitCode);
        Assert.Contains("[DEBUG   ] Job ", debug.Stderr, StringComparison.Ordinal);
        Assert.Contains("web1", debug.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--log-level must be one of", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_CountsReturnsAndMissing_AndHideTimeoutHidesTheMissingButStillFails()
    {
        await _cluster.Minions["db1"].StopAsync();

        var summary = await _cluster.CliAsync("*", "test.ping", "--summary");
        var hidden = await _cluster.CliAsync("--hide-timeout", "*", "test.ping");

        Assert.Equal(1, summary.ExitCode);
        Assert.Contains("# of minions targeted: 3", summary.Stdout, StringComparison.Ordinal);
        Assert.Contains("# of minions returned: 2", summary.Stdout, StringComparison.Ordinal);
        Assert.Contains("# of minions that did not return: 1", summary.Stdout, StringComparison.Ordinal);
        Assert.Contains("# of minions with errors: 0", summary.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("did not return", hidden.Stdout, StringComparison.Ordinal);
        Assert.Contains("web1", hidden.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, hidden.ExitCode);
    }

    [Fact]
    public async Task Subset_RunsOnThatManyOfTheTargeted()
    {
        var result = await _cluster.CliAsync("--subset", "2", "--out", "json", "--static", "*", "test.ping");

        Assert.Equal(0, result.ExitCode);
        var returns = Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(result.Stdout));
        Assert.Equal(2, returns.Count);
        Assert.All(returns.Keys, id => Assert.Contains(id, new[] { "web1", "web2", "db1" }));
    }

    [Fact]
    public async Task Failhard_StopsStartingBatchesAfterAFailure()
    {
        var result = await _cluster.CliAsync("-b", "1", "--failhard", "--out", "json", "*", "test.retcode", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stdout.Split('\n'), l => l.Contains("Executing run on", StringComparison.Ordinal));
        Assert.Contains("--failhard", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionsReport_WorksOnEveryVerb()
    {
        var top = await Orch("--versions-report");
        var call = await Orch("call", "--versions-report");

        Assert.Equal(0, top.ExitCode);
        Assert.Contains("Salt compatibility:", top.Stdout, StringComparison.Ordinal);
        Assert.Contains("System Versions:", top.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, call.ExitCode);
        Assert.Contains("Salt compatibility:", call.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFunctionsOutputter_ShowSlsAsData_StateRunsAsHighstate_InOrchAndLookupJid()
    {
        var show = await _cluster.CliAsync("web1", "state.show_sls", "hello");
        var apply = await _cluster.CliAsync("-v", "web1", "state.apply", "hello", "test=True");
        var jid = apply.Stdout.Split('\n').First(l => l.StartsWith("Executing job with jid ", StringComparison.Ordinal))["Executing job with jid ".Length..].Trim();
        var lookup = await _cluster.CliVerbAsync("run", "jobs.lookup_jid", jid);
        var lookupJson = await _cluster.CliVerbAsync("run", "jobs.lookup_jid", jid, "--out", "json");

        Assert.Equal(0, show.ExitCode);
        Assert.Contains("succeed_with_changes", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Succeeded:", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Succeeded: 1", apply.Stdout, StringComparison.Ordinal);
        Assert.Contains("Succeeded: 1", lookup.Stdout, StringComparison.Ordinal);
        Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(lookupJson.Stdout));
    }

    [Fact]
    public async Task SysDoc_PrintsEachFunctionOnce_NotOncePerMinion()
    {
        var result = await _cluster.CliAsync("*", "sys.doc", "test.ping");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.Stdout.Split('\n'), l => l == "test.ping:");
        Assert.DoesNotContain("web1", result.Stdout, StringComparison.Ordinal);
    }
}
