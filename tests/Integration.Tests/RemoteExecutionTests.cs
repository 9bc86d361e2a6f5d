using Orchestrator.Master.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a master and three minions (web1, web2 with roles [web]; db1 with [db]) on loopback, driven through the real
/// CLI: every targeting form, --async with jobs.lookup_jid, a minion that does not answer, outputs and exit codes.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class RemoteExecutionTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.AddMinionAsync("web1", Roles("web"));
        await _cluster.AddMinionAsync("web2", Roles("web"));
        await _cluster.AddMinionAsync("db1", Roles("db"));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Dictionary<string, object?> Roles(string role) => new(StringComparer.Ordinal)
    {
        ["roles"] = new List<object?> { role },
    };

    [Fact]
    public async Task Glob_StarPingsEveryMinion()
    {
        var result = await _cluster.CliAsync("--out", "json", "--static", "*", "test.ping");

        Assert.Equal(0, result.ExitCode);
        var data = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(result.Stdout)!;
        Assert.Equal(["db1", "web1", "web2"], data.Keys.Order());
        Assert.All(data.Values, v => Assert.Equal(true, v));
    }

    [Fact]
    public async Task OptionsAfterTheFunction_AreOptions_AndDoubleDashPassesThemAsArguments()
    {
        // salt's optparse takes options anywhere: `salt '*' test.echo hi --out json`.
        var trailing = await _cluster.CliAsync("web1", "test.echo", "hi", "--out=json", "--static");
        var literal = await _cluster.CliAsync("--out", "json", "--static", "web1", "test.echo", "--", "--out");
        var runner = await _cluster.CliVerbAsync("run", "manage.status", "--out", "json");

        Assert.Equal(0, trailing.ExitCode);
        Assert.Equal("hi", ((Dictionary<string, object?>)Shared.Data.DataTree.FromJson(trailing.Stdout)!)["web1"]);
        Assert.Equal(0, literal.ExitCode);
        Assert.Equal("--out", ((Dictionary<string, object?>)Shared.Data.DataTree.FromJson(literal.Stdout)!)["web1"]);
        Assert.Equal(0, runner.ExitCode);
        Assert.Contains("web1", ((Dictionary<string, object?>)Shared.Data.DataTree.FromJson(runner.Stdout)!)["up"] as List<object?> ?? []);
        var seen = await _cluster.CliVerbAsync("run", "manage.last_seen", "--out", "json");
        var stamp = ((Dictionary<string, object?>)Shared.Data.DataTree.FromJson(seen.Stdout)!)["web1"] as string;
        Assert.True(DateTime.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var when), seen.ToString());
        Assert.True(DateTime.UtcNow - when < TimeSpan.FromHours(1), $"web1 last seen at {stamp}");
    }

    [Fact]
    public async Task Glob_PrefixMatchesOnlyWebMinions()
    {
        var result = await _cluster.CliAsync("--out", "json", "--static", "web*", "cmd.run", "echo hello from $(hostname)");

        Assert.Equal(0, result.ExitCode);
        var data = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(result.Stdout)!;
        Assert.Equal(["web1", "web2"], data.Keys.Order());
        Assert.All(data.Values, v => Assert.StartsWith("hello from", (string)v!));
    }

    [Theory]
    [InlineData("-L", "web1,db1", new[] { "db1", "web1" })]
    [InlineData("-E", "web[0-9]", new[] { "web1", "web2" })]
    [InlineData("-G", "roles:db", new[] { "db1" })]
    [InlineData("-C", "G@roles:web and not web2", new[] { "web1" })]
    public async Task TargetFlag_SelectsExpectedMinions(string flag, string target, string[] expected)
    {
        var result = await _cluster.CliAsync("--out", "json", "--static", flag, target, "test.ping");

        Assert.Equal(0, result.ExitCode);
        var data = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(result.Stdout)!;
        Assert.Equal(expected, data.Keys.Order().ToArray());
    }

    [Fact]
    public async Task NoMatch_PrintsSaltMessageAndFails()
    {
        var result = await _cluster.CliAsync("nothing*", "test.ping");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No minions matched the target", result.Stderr);
    }

    [Fact]
    public async Task Async_PrintsJidAndLookupJidReturnsResults()
    {
        var published = await _cluster.CliAsync("--async", "web1", "test.echo", "marker-42");
        Assert.Equal(0, published.ExitCode);
        var jid = published.Stdout.Trim().Split(' ').Last();
        Assert.Matches("^[0-9]{20}$", jid);

        var cache = _cluster.MasterService<IJobCache>();
        await Poll.UntilAsync(() => cache.GetReturns(jid).Count == 1, $"return of {jid}");
        var lookup = await _cluster.CliVerbAsync("run", "--out", "json", "jobs.lookup_jid", jid);

        Assert.Equal(0, lookup.ExitCode);
        var data = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(lookup.Stdout)!;
        Assert.Equal("marker-42", data["web1"]);
        var listed = await _cluster.CliVerbAsync("run", "--out", "json", "jobs.list_jobs", "search_function=test.echo");
        Assert.Contains(jid, listed.Stdout);
    }

    [Fact]
    public async Task JobsActive_ListsWhoIsStillRunningAndWhoReturned()
    {
        var published = await _cluster.CliAsync("--async", "-t", "30", "-L", "web1,web2", "test.sleep", "4");
        var jid = published.Stdout.Trim().Split(' ').Last();
        Assert.Matches("^[0-9]{20}$", jid);
        // Both sleep 4 s, so right after the publish both are still running.
        var active = await _cluster.CliVerbAsync("run", "--out", "json", "jobs.active");

        Assert.Equal(0, active.ExitCode);
        var jobs = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(active.Stdout)!;
        var job = Assert.IsType<Dictionary<string, object?>>(jobs[jid]);
        Assert.Equal("test.sleep", job["Function"]);
        Assert.Equal(["web1", "web2"], Assert.IsType<List<object?>>(job["Running"]));
        Assert.Empty(Assert.IsType<List<object?>>(job["Returned"]));

        // A return is marked returned once it is stored; poll the runner itself, not the cache, to avoid racing that step.
        Dictionary<string, object?> finished = [];
        await Poll.UntilAsync(async () =>
        {
            var after = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson((await _cluster.CliVerbAsync("run", "--out", "json", "jobs.active")).Stdout)!;
            finished = Assert.IsType<Dictionary<string, object?>>(after[jid]);
            return Assert.IsType<List<object?>>(finished["Running"]).Count == 0;
        }, $"both returns of {jid}", TimeSpan.FromSeconds(20));
        Assert.Equal(["web1", "web2"], Assert.IsType<List<object?>>(finished["Returned"]));
    }

    [Fact]
    public async Task StoppedMinion_IsDownAtOnce_NotConnected_AndExitIsNonZero()
    {
        // A clean stop tells the master: down at once, well inside the cluster's 30 s presence_timeout.
        await _cluster.Minions["db1"].StopAsync();

        var down = await _cluster.CliVerbAsync("run", "manage.down", "--out", "json");
        var result = await _cluster.CliAsync("-t", "30", "--out", "json", "--static", "*", "test.ping");

        Assert.Equal(["db1"], (List<object?>)Shared.Data.DataTree.FromJson(down.Stdout)!);
        Assert.NotEqual(0, result.ExitCode);
        var returns = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(result.Stdout)!;
        Assert.Equal("Minion did not return. [Not connected]", returns["db1"]);
        Assert.Equal(true, returns["web1"]);
    }

    [Fact]
    public async Task GrainsChangedOnAMinion_ReachTheMastersTargeting()
    {
        var set = await _cluster.CliAsync("web1", "grains.setval", "nc_color", "blue");
        var matched = await _cluster.CliAsync("--out", "json", "--static", "-G", "nc_color:blue", "test.ping");
        var compound = await _cluster.CliAsync("--out", "json", "--static", "-C", "G@nc_color:blue and G@roles:web", "test.ping");
        var deleted = await _cluster.CliAsync("web1", "grains.delkey", "nc_color");
        var gone = await _cluster.CliAsync("-G", "nc_color:blue", "test.ping");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(["web1"], ((Dictionary<string, object?>)Shared.Data.DataTree.FromJson(matched.Stdout)!).Keys);
        Assert.Equal(["web1"], ((Dictionary<string, object?>)Shared.Data.DataTree.FromJson(compound.Stdout)!).Keys);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(2, gone.ExitCode);
        Assert.Contains("No minions matched", gone.Stderr);
    }

    [Fact]
    public async Task SecondStateRun_IsRefusedWithSaltsMessage_OrQueuedWithQueueTrue()
    {
        var first = await _cluster.CliAsync("--async", "web2", "state.single", "cmd.run", "name=sleep 3");
        var jid = first.Stdout.Trim().Split(' ').Last();
        await Poll.UntilAsync(async () => (await _cluster.CliAsync("--out", "json", "web2", "saltutil.running")).Stdout.Contains(jid), "the first run running");

        var refused = await _cluster.CliAsync("--out", "json", "--static", "web2", "state.single", "test.succeed_without_changes", "name=second");
        var queued = await _cluster.CliAsync("-t", "30", "--out", "json", "--static", "web2", "state.single", "test.succeed_without_changes", "name=third", "queue=True");

        Assert.Equal(1, refused.ExitCode);
        var message = (string)((List<object?>)((Dictionary<string, object?>)Shared.Data.DataTree.FromJson(refused.Stdout)!)["web2"]!)[0]!;
        Assert.StartsWith("The function \"state.single\" is running as PID", message);
        Assert.EndsWith($"with jid {jid}", message);
        Assert.True(queued.ExitCode == 0, queued.ToString());
        Assert.Contains("third", queued.Stdout);
    }

    [Fact]
    public async Task JobLongerThanTheTimeout_IsWaitedForWhileFindJobSaysItRuns()
    {
        var result = await _cluster.CliAsync("-t", "2", "--out", "json", "--static", "web*", "test.sleep", "5");

        Assert.True(result.ExitCode == 0, result.ToString());
        var returns = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(result.Stdout)!;
        Assert.Equal(true, returns["web1"]);
        Assert.Equal(true, returns["web2"]);
        Assert.Contains(_cluster.MasterService<IJobCache>().ListJobs(searchFunction: "saltutil.find_job"), j => j.Minions.Contains("web1"));
    }

    [Fact]
    public async Task SilentMinion_IsNoResponse()
    {
        // Up as far as the master knows, but its publishes never arrive: it is waited for, then reported.
        _cluster.Minions["web2"].Connection.PublishFilter = _ => false;

        var result = await _cluster.CliAsync("-t", "2", "web2", "test.ping");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Minion did not return. [No response]", result.Stdout);
    }

    [Fact]
    public async Task FailingFunction_ReturnsCleanErrorAndRetcode()
    {
        var unknown = await _cluster.CliAsync("--out", "json", "--static", "web1", "nosuch.function");
        var failing = await _cluster.CliAsync("--out", "json", "--static", "web1", "cmd.run", "exit 3");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("'nosuch.function' is not available.", unknown.Stdout);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("ERROR: Minions returned with non-zero exit code", failing.Stderr);
        Assert.DoesNotContain("ERROR", failing.Stdout);
        Assert.Contains("retcode", (await _cluster.CliVerbAsync("run", "--out", "json", "jobs.print_job", LastJid())).Stdout);
        var ok = await _cluster.CliAsync("web1", "test.ping");
        Assert.DoesNotContain("ERROR", ok.Stderr);
    }

    private string LastJid() => _cluster.MasterService<IJobCache>().ListJobs(limit: 1)[0].Jid;

    [Fact]
    public async Task ManageStatus_ListsMinionsUp()
    {
        var result = await _cluster.CliVerbAsync("run", "--out", "json", "manage.status");

        var data = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(result.Stdout)!;
        Assert.Equal(new List<object?> { "db1", "web1", "web2" }, data["up"]);
        Assert.Equal(new List<object?>(), data["down"]);
    }

    [Fact]
    public async Task SaltutilRunning_ShowsALongJobAndKillJobEndsIt()
    {
        var slow = await _cluster.CliAsync("--async", "web1", "test.sleep", "30");
        var jid = slow.Stdout.Trim().Split(' ').Last();
        await Poll.UntilAsync(async () => (await _cluster.CliAsync("--out", "json", "web1", "saltutil.running")).Stdout.Contains(jid), "job visible");

        var killed = await _cluster.CliAsync("--out", "json", "web1", "saltutil.kill_job", jid);

        Assert.Equal(0, killed.ExitCode);
        var cache = _cluster.MasterService<IJobCache>();
        await Poll.UntilAsync(() => cache.GetReturns(jid).Count == 1, "killed job's return");
        Assert.False(cache.GetReturns(jid)[0].Success);
    }

    [Fact]
    public async Task Batch_OneAtATimeRunsEveryMinionInItsOwnWave()
    {
        var result = await _cluster.CliAsync("-b", "1", "*", "test.ping");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.Stdout.Split("Executing run on").Length - 1);
        Assert.Contains("Executing run on ['db1']", result.Stdout);
        Assert.Equal(3, result.Stdout.Split("True").Length - 1);
    }

    [Fact]
    public async Task BatchPercent_RoundsUpAndStartsTheNextMinionAsSlotsFree()
    {
        var result = await _cluster.CliAsync("--batch", "50%", "*", "test.ping");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Executing run on ['db1', 'web1']", result.Stdout);
        Assert.Contains("Executing run on ['web2']", result.Stdout);
    }

    [Fact]
    public async Task Progress_ReportsEachReturnOnStderr()
    {
        var result = await _cluster.CliAsync("--progress", "*", "test.ping");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("0 of 3 returned", result.Stderr);
        Assert.Contains("3 of 3 returned", result.Stderr);
        Assert.DoesNotContain("returned", result.Stdout);
    }

    [Fact]
    public async Task OutFile_WritesTheOutputToTheFileInsteadOfStdout()
    {
        var path = _cluster.Root.Combine("out.json");

        var result = await _cluster.CliAsync("--out", "json", "--static", "--out-file", path, "web*", "test.ping");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var data = (Dictionary<string, object?>)Shared.Data.DataTree.FromJson(await File.ReadAllTextAsync(path))!;
        Assert.Equal(["web1", "web2"], data.Keys.Order());
    }
}
