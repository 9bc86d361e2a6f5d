using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Reactor;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a real master with Salt-style reactor rules and a real minion. A user event runs a local job on the minion,
/// a runner and a caller action run on the master, the classic salt/auth reactor accepts a pending key, reactor.test shows
/// what would run without running it, a burst of 1,000 events runs only what the rate limit allows while the master keeps
/// answering, and a reactor SLS with a Jinja error is reported on the bus and does not stop the next event.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ReactorTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private TestCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        _dir.Dispose();
    }

    private string Sls(string name, string text)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<TestCluster> StartAsync(Action<MasterOptions> configure, bool withMinion = true)
    {
        _cluster = await TestCluster.StartAsync(configure);
        if (withMinion)
        {
            await _cluster.AddMinionAsync("web1");
        }
        return _cluster;
    }

    private static void Publish(TestCluster cluster, string tag, Dictionary<string, object?> data) =>
        cluster.MasterService<EventBus>().Publish(tag, data);

    private const string TouchSls = """
        touch-marker:
          local.cmd.run:
            - tgt: {{ data['target'] }}
            - args:
              - cmd: 'touch {{ data['path'] }}'
        """;

    [Fact]
    public async Task LocalAction_UserEvent_RunsOnTheMinion_AndTheJobIsCached()
    {
        var sls = Sls("deploy.sls", TouchSls);
        var cluster = await StartAsync(o => o.Reactor.Rules = [new ReactorRule("myorg/deploy/*", [sls])]);
        var marker = _dir.Combine("deployed");
        using var jobs = cluster.MasterService<EventBus>().Subscribe(t => t.StartsWith("salt/job/", StringComparison.Ordinal) && t.EndsWith("/new", StringComparison.Ordinal));

        Publish(cluster, "myorg/deploy/web", new(StringComparer.Ordinal) { ["target"] = "web1", ["path"] = marker });

        var job = await TestCluster.WaitForEventAsync(jobs, "the reactor's job");
        Assert.Equal("cmd.run", job.Data["fun"]);
        Assert.Equal("web1", job.Data["tgt"]);
        Assert.Equal(ReactorEngine.User, job.Data["user"]);
        await Poll.UntilAsync(() => File.Exists(marker), "the marker touched by cmd.run on web1");
        var jid = (string)job.Data["jid"]!;
        await Poll.UntilAsync(() => cluster.MasterService<IJobCache>().GetReturns(jid).Count == 1, "web1's return in the job cache");
        var listed = await cluster.CliVerbAsync("run", "jobs.list_jobs", "--out", "json");
        Assert.Contains(jid, listed.Stdout);
        Assert.Contains("cmd.run", listed.Stdout);
        Assert.Equal(1, cluster.MasterService<ReactorEngine>().Stats.Run);
        var rules = await cluster.CliVerbAsync("run", "reactor.list", "--out", "json");
        Assert.Contains($"\"myorg/deploy/*\": [\n", rules.Stdout);
        Assert.Contains(sls, rules.Stdout);
    }

    [Fact]
    public async Task RunnerAction_RunsUnderItsOwnJid()
    {
        var sls = Sls("report.sls", "report:\n  runner.jobs.list_jobs: []\n");
        var cluster = await StartAsync(o => o.Reactor.Rules = [new ReactorRule("myorg/report", [sls])], withMinion: false);
        using var runs = cluster.MasterService<EventBus>().Subscribe(t => t.StartsWith("salt/run/", StringComparison.Ordinal) && t.EndsWith("/ret", StringComparison.Ordinal));

        Publish(cluster, "myorg/report", new(StringComparer.Ordinal));

        var ret = await TestCluster.WaitForEventAsync(runs, "salt/run/<jid>/ret of the reactor's runner");
        Assert.Equal("runner.jobs.list_jobs", ret.Data["fun"]);
        Assert.Equal(true, ret.Data["success"]);
        Assert.Equal(ReactorEngine.User, ret.Data["user"]);
        Assert.Equal($"salt/run/{ret.Data["jid"]}/ret", ret.Tag);
    }

    [Fact]
    public async Task WheelKeyAccept_SaltAuthReactor_AcceptsThePendingMinion_WhichThenAnswers()
    {
        var sls = Sls("auth.sls", """
            {% if data.get('act') == 'pend' and data['id'].startswith('web') %}
            minion_add:
              wheel.key.accept:
                - match: {{ data['id'] }}
            {% endif %}
            """);
        var cluster = await StartAsync(o =>
        {
            o.AutoAccept = false;
            o.Reactor.Rules = [new ReactorRule("salt/auth", [sls])];
        }, withMinion: false);
        using var wheel = cluster.MasterService<EventBus>().Subscribe(t => t.StartsWith("salt/wheel/", StringComparison.Ordinal) && t.EndsWith("/ret", StringComparison.Ordinal));

        // Waits for the minion's start event: only an accepted key gets that far.
        await cluster.AddMinionAsync("web1");

        var ret = await TestCluster.WaitForEventAsync(wheel, "salt/wheel/<jid>/ret of key.accept");
        Assert.Equal("wheel.key.accept", ret.Data["fun"]);
        Assert.Equal(true, ret.Data["success"]);
        var ping = await cluster.CliAsync("web1", "test.ping");
        Assert.Equal(0, ping.ExitCode);
        Assert.Contains("True", ping.Stdout);
    }

    [Fact]
    public async Task CallerAction_RunsOnTheMastersHostThroughOrchMinion()
    {
        Assert.True(File.Exists(ReactorCaller.MinionPath), $"orch-minion is built beside the tests ({ReactorCaller.MinionPath})");
        var configDir = _dir.Combine("master-host");
        Directory.CreateDirectory(configDir);
        File.WriteAllText(Path.Combine(configDir, "minion"), $"id: master-host\npki_dir: {_dir.Combine("mh", "pki")}\ncachedir: {_dir.Combine("mh", "cache")}\n");
        var sls = Sls("caller.sls", "caller-form:\n  caller.cmd.run:\n    - args:\n      - cmd: 'touch {{ data['path'] }}'\n");
        var cluster = await StartAsync(o =>
        {
            o.ConfigDir = configDir;
            o.Reactor.Rules = [new ReactorRule("myorg/local", [sls])];
        }, withMinion: false);
        var marker = _dir.Combine("called");

        Publish(cluster, "myorg/local", new(StringComparer.Ordinal) { ["path"] = marker });

        await Poll.UntilAsync(() => File.Exists(marker), "the marker touched by caller.cmd.run");
        var stats = cluster.MasterService<ReactorEngine>().Stats;
        await Poll.UntilAsync(() => stats.Run == 1, "the caller action counted");
        Assert.Equal(0, stats.Failed);
    }

    [Fact]
    public async Task ReactorTest_PrintsTheActions_AndNothingRuns()
    {
        var sls = Sls("deploy.sls", TouchSls);
        var cluster = await StartAsync(o => o.Reactor.Rules = [new ReactorRule("myorg/deploy/*", [sls])]);
        var marker = _dir.Combine("must-not-exist");

        var result = await cluster.CliVerbAsync(
            "run", "reactor.test", "tag=myorg/deploy/web", $"data={{\"target\": \"web1\", \"path\": \"{marker}\"}}", "--out", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"local.cmd.run\"", result.Stdout);
        Assert.Contains("\"tgt\": \"web1\"", result.Stdout);
        Assert.Contains($"touch {marker}", result.Stdout);
        Assert.Contains(sls, result.Stdout);
        Assert.Contains("\"touch-marker\"", result.Stdout);
        // A real job afterwards is the barrier: had reactor.test published anything, it would be in the cache by now.
        Assert.Equal(0, (await cluster.CliAsync("web1", "test.ping")).ExitCode);
        Assert.DoesNotContain(cluster.MasterService<IJobCache>().ListJobs(), j => j.Function == "cmd.run");
        Assert.False(File.Exists(marker));
        var stats = cluster.MasterService<ReactorEngine>().Stats;
        Assert.Equal(0, stats.Matched);
        Assert.Equal(0, stats.Run);
    }

    [Fact]
    public async Task Burst_OfAThousandEvents_RunsOnlyTheRateLimit_AndTheMasterKeepsAnswering()
    {
        var lines = _dir.Combine("lines");
        var flapped = _dir.Combine("flapped");
        var burst = Sls("burst.sls", $"append:\n  local.cmd.run:\n    - tgt: web1\n    - args:\n      - cmd: 'echo {{{{ data['n'] }}}} >> {lines}'\n");
        var flap = Sls("flap.sls", $"flap:\n  local.cmd.run:\n    - tgt: web1\n    - args:\n      - cmd: 'echo x >> {flapped}'\n");
        var cluster = await StartAsync(o =>
        {
            o.Reactor.Rules = [new ReactorRule("myorg/burst", [burst]), new ReactorRule("myorg/flap", [flap])];
            // A window longer than any test run, so the count cannot depend on how fast the burst goes through.
            o.Reactor.RateLimitCount = 20;
            o.Reactor.RateLimitPer = TimeSpan.FromHours(1);
            o.Reactor.DedupWindow = TimeSpan.FromHours(1);
        });
        var engine = cluster.MasterService<ReactorEngine>();

        for (var n = 0; n < 1000; n++)
        {
            Publish(cluster, "myorg/burst", new(StringComparer.Ordinal) { ["n"] = (long)n });
            Publish(cluster, "myorg/flap", new(StringComparer.Ordinal) { ["same"] = true });
        }
        var ping = await cluster.CliAsync("*", "test.ping");

        Assert.Equal(0, ping.ExitCode);
        var stats = engine.Stats;
        await Poll.UntilAsync(
            () => stats.Matched == 2000 && stats.Run + stats.RateLimited + stats.Deduplicated + stats.Dropped == 2000,
            "the reactor through the burst");
        Assert.Equal(21, stats.Run);
        Assert.Equal(980, stats.RateLimited);
        Assert.Equal(999, stats.Deduplicated);
        Assert.Equal(0, stats.Dropped);
        await Poll.UntilAsync(() => File.Exists(lines) && File.ReadAllLines(lines).Length == 20, "20 lines appended by the jobs");
        await Poll.UntilAsync(() => File.Exists(flapped), "the flapping event's one job");
        Assert.Equal(21, cluster.MasterService<IJobCache>().ListJobs("cmd.run").Count);
        Assert.Equal(20, File.ReadAllLines(lines).Distinct().Count());
        Assert.Single(File.ReadAllLines(flapped));
        Assert.Equal(0, (await cluster.CliAsync("web1", "test.ping")).ExitCode);
        var printed = await cluster.CliVerbAsync("run", "reactor.stats", "--out", "json");
        Assert.Contains("\"rate_limited\": 980", printed.Stdout);
        Assert.Contains("\"deduplicated\": 999", printed.Stdout);
        // The history keeps the latest 200 firings, newest first, each saying how it ended.
        var history = await cluster.CliVerbAsync("run", "reactor.history", "count=200", "--out", "json");
        var firings = ((List<object?>)Shared.Data.DataTree.FromJson(history.Stdout)!).Cast<Dictionary<string, object?>>().ToList();
        Assert.Equal(200, firings.Count);
        Assert.All(firings, f => Assert.Contains(f["outcome"], new object?[] { "ran", "rate_limited", "deduplicated" }));
        Assert.Contains(firings, f => f["outcome"] is "deduplicated" && f["tag"] is "myorg/flap");
        Assert.True(string.CompareOrdinal((string)firings[0]["_stamp"]!, (string)firings[^1]["_stamp"]!) >= 0);
    }

    [Fact]
    public async Task JinjaError_IsAnErrorEventNamingTheFile_AndTheNextGoodEventReacts()
    {
        var sls = Sls("fragile.sls", """
            {% if data.get('bad') %}{{ data['missing'] }}{% endif %}
            touch-marker:
              local.cmd.run:
                - tgt: web1
                - args:
                  - cmd: 'touch {{ data['path'] }}'
            """);
        var cluster = await StartAsync(o => o.Reactor.Rules = [new ReactorRule("myorg/fragile", [sls])]);
        using var errors = cluster.MasterService<EventBus>().Subscribe(t => t == ReactorEngine.ErrorTag);
        var marker = _dir.Combine("after-error");

        Publish(cluster, "myorg/fragile", new(StringComparer.Ordinal) { ["bad"] = true, ["path"] = marker });
        var error = await TestCluster.WaitForEventAsync(errors, "the reactor's error event");
        Publish(cluster, "myorg/fragile", new(StringComparer.Ordinal) { ["path"] = marker });

        Assert.Equal(sls, error.Data["file"]);
        Assert.Equal(1L, error.Data["line"]);
        Assert.Equal("myorg/fragile", error.Data["tag"]);
        Assert.Contains("missing", (string)error.Data["error"]!);
        await Poll.UntilAsync(() => File.Exists(marker), "the next good event's job");
        Assert.Equal(1, cluster.MasterService<ReactorEngine>().Stats.RenderErrors);
        // reactor.test shows the same error and fails, as the event would; a good event passes.
        var dryBad = await cluster.CliVerbAsync("run", "reactor.test", "tag=myorg/fragile", "data={\"bad\": true, \"path\": \"/nonexistent\"}");
        var dryGood = await cluster.CliVerbAsync("run", "reactor.test", "tag=myorg/fragile", "data={\"path\": \"/nonexistent\"}");
        Assert.Equal(1, dryBad.ExitCode);
        Assert.Contains("missing", dryBad.Stdout);
        Assert.Equal(0, dryGood.ExitCode);
    }
}
