using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: orchestration SLS files on a real master's file_roots, run with <c>orch run state.orchestrate</c> across real
/// minions on loopback: steps in requisite order, a failing step stopping its dependants with a non-zero exit, test mode,
/// batches, wait_for_event (met by a parallel step, and timing out), runner and wheel steps.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class OrchestrationTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private string _roots = null!;
    private string _managed = null!;

    public async Task InitializeAsync()
    {
        var trees = new TempDir();
        _roots = trees.Path;
        _managed = Path.Combine(trees.Path, "managed");
        _cluster = await TestCluster.StartAsync(o => o.FileRoots["base"] = [_roots]);
        // A minion SLS that leaves a marker per minion, so the tests can see where and whether it ran.
        Write("marker.sls", $"marker:\n  file.managed:\n    - name: {_managed}/{{{{ grains['id'] }}}}\n    - contents: ran\n    - makedirs: True\n");
        await _cluster.AddMinionAsync("web1", Roles("web"));
        await _cluster.AddMinionAsync("web2", Roles("web"));
        await _cluster.AddMinionAsync("db1", Roles("db"));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Dictionary<string, object?> Roles(string role) => new(StringComparer.Ordinal) { ["roles"] = new List<object?> { role } };

    private void Write(string name, string text)
    {
        var path = Path.Combine(_roots, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private async Task<(CliResult Cli, List<Dictionary<string, object?>> Steps)> OrchestrateAsync(string sls, params string[] extra)
    {
        var cli = await _cluster.CliVerbAsync("run", ["--out", "json", "state.orchestrate", sls, .. extra]);
        var data = (Dictionary<string, object?>)DataTree.FromJson(cli.Stdout)!;
        var steps = ((Dictionary<string, object?>)data[$"{_cluster.MasterOptions.Id}_master"]!).Values.Cast<Dictionary<string, object?>>()
            .OrderBy(s => (long)s["__run_num__"]!).ToList();
        return (cli, steps);
    }

    private static Dictionary<string, object?> Step(List<Dictionary<string, object?>> steps, string id) => steps.Single(s => (string?)s["__id__"] == id);

    [Fact]
    public async Task Orchestrate_RunsStepsInRequisiteOrderAcrossMinions_AndReturnsZero()
    {
        Write("orch/order.sls", """
            web:
              salt.state:
                - tgt: 'roles:web'
                - tgt_type: grain
                - sls: marker
                - require:
                  - salt: database
            database:
              salt.state:
                - tgt: db1
                - sls: marker
            check:
              salt.function:
                - name: cmd.run
                - tgt: 'web*'
                - arg:
                  - cat {MANAGED}/web1
                - require:
                  - salt: web
            """.Replace("{MANAGED}", _managed, StringComparison.Ordinal));

        var (cli, steps) = await OrchestrateAsync("orch.order");

        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal(["database", "web", "check"], steps.Select(s => (string?)s["__id__"]));
        Assert.All(steps, s => Assert.Equal(true, s["result"]));
        Assert.Equal("States ran successfully. Updating web1, web2.", Step(steps, "web")["comment"]);
        var ran = (Dictionary<string, object?>)((Dictionary<string, object?>)Step(steps, "check")["changes"]!)["ret"]!;
        Assert.Equal("ran", ran["web2"]);
        Assert.All(new[] { "web1", "web2", "db1" }, id => Assert.True(File.Exists(Path.Combine(_managed, id))));
    }

    [Fact]
    public async Task FailingStep_StopsItsDependants_AndTheRunExitsNonZero()
    {
        Write("orch/fail.sls", """
            broken:
              salt.function:
                - name: cmd.run
                - tgt: db1
                - arg:
                  - exit 3
            deploy:
              salt.state:
                - tgt: web1
                - sls: marker
                - require:
                  - salt: broken
            """);

        var (cli, steps) = await OrchestrateAsync("orch.fail");

        Assert.Equal(1, cli.ExitCode);
        Assert.Equal(false, Step(steps, "broken")["result"]);
        Assert.StartsWith("Running function cmd.run failed on minions: db1", (string)Step(steps, "broken")["comment"]!);
        Assert.Equal("One or more requisite failed: orch.fail.broken", Step(steps, "deploy")["comment"]);
        Assert.False(File.Exists(Path.Combine(_managed, "web1")));
    }

    [Fact]
    public async Task TestMode_RunsTheMinionStatesInTestMode_AndChangesNothing()
    {
        Write("orch/dry.sls", "web:\n  salt.state:\n    - tgt: web1\n    - sls: marker\nping:\n  salt.function:\n    - name: test.ping\n    - tgt: '*'\n");

        var (cli, steps) = await OrchestrateAsync("orch.dry", "test=True");

        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Null(Step(steps, "web")["result"]);
        Assert.Equal("States ran successfully. Updating web1.", Step(steps, "web")["comment"]);
        Assert.Null(Step(steps, "ping")["result"]);
        Assert.Equal("Function test.ping would be executed on target *", Step(steps, "ping")["comment"]);
        Assert.False(File.Exists(Path.Combine(_managed, "web1")));
    }

    [Fact]
    public async Task Batch_RunsTheStateOnOneMinionAtATime()
    {
        Write("orch/batch.sls", "web:\n  salt.state:\n    - tgt: 'web*'\n    - sls: marker\n    - batch: 1\n");

        var (cli, steps) = await OrchestrateAsync("orch.batch");

        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal("States ran successfully. Updating web1, web2.", Step(steps, "web")["comment"]);
        var jobs = await _cluster.CliVerbAsync("run", "--out", "json", "jobs.list_jobs");
        var stateJobs = ((Dictionary<string, object?>)DataTree.FromJson(jobs.Stdout)!).Values.Cast<Dictionary<string, object?>>()
            .Where(j => (string?)j["Function"] == "state.sls").ToList();
        // One job per batch, each to a single minion.
        Assert.Equal(2, stateJobs.Count);
        Assert.All(stateJobs, j => Assert.DoesNotContain(",", (string)j["Target"]!));
    }

    [Fact]
    public async Task WaitForEvent_IsMetByAnEventFiredWhileItWaits_AndTimesOutOtherwise()
    {
        Write("orch/wait.sls", """
            wait-done:
              salt.wait_for_event:
                - name: deploy/*/done
                - id_list:
                  - web1
                - timeout: 60
            never:
              salt.wait_for_event:
                - name: deploy/*/never
                - id_list:
                  - web2
                - timeout: 1
                - require:
                  - salt: wait-done
            """);

        var run = OrchestrateAsync("orch.wait");
        // The step sees only events fired after it started waiting: keep announcing until the orchestration is done.
        while (!run.IsCompleted)
        {
            await _cluster.CliVerbAsync("run", "event.send", "deploy/web1/done", "data={\"id\": \"web1\"}");
            await Task.WhenAny(run, Task.Delay(200));
        }
        var (cli, steps) = await run;

        Assert.Equal(1, cli.ExitCode);
        Assert.Equal(true, Step(steps, "wait-done")["result"]);
        Assert.Equal(new List<object?> { "web1" }, ((Dictionary<string, object?>)Step(steps, "wait-done")["changes"]!)["minions_seen"]);
        Assert.Equal(false, Step(steps, "never")["result"]);
        Assert.Equal("Timeout value reached.", Step(steps, "never")["comment"]);
    }

    [Fact]
    public async Task RunnerStep_RunsOnTheMaster_AndItsReturnIsTheChange()
    {
        Write("orch/runner.sls", "up:\n  salt.runner:\n    - name: manage.up\n");

        var (cli, steps) = await OrchestrateAsync("orch.runner");

        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal("Runner function 'manage.up' executed.", Step(steps, "up")["comment"]);
        Assert.Equal(new List<object?> { "db1", "web1", "web2" }, ((Dictionary<string, object?>)Step(steps, "up")["changes"]!)["return"]);
    }

    [Fact]
    public async Task OrchestrateSingle_AndWheelStep_RunOnTheMaster()
    {
        var single = await _cluster.CliVerbAsync("run", "--out", "json", "state.orchestrate_single", "salt.wheel", "name=key.list_all");

        Assert.True(single.ExitCode == 0, single.ToString());
        var step = ((Dictionary<string, object?>)((Dictionary<string, object?>)DataTree.FromJson(single.Stdout)!)[$"{_cluster.MasterOptions.Id}_master"]!)
            .Values.Cast<Dictionary<string, object?>>().Single();
        Assert.Equal("Wheel function 'key.list_all' executed.", step["comment"]);
        Assert.Contains("web1", DataTree.ToJson(step["changes"], indent: false));
    }

    [Fact]
    public async Task BrokenOrchestrationSls_FailsWithTheRenderError()
    {
        Write("orch/broken.sls", "step:\n  salt.function:\n    - name: test.ping\n   - tgt: '*'\n");

        var cli = await _cluster.CliVerbAsync("run", "state.orchestrate", "orch.broken");

        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("orch/broken.sls", cli.Stdout + cli.Stderr);
    }

    [Fact]
    public async Task OrchestrationSls_ReadsTheMine_ToFindItsSteps()
    {
        var sent = await _cluster.CliAsync("--out", "json", "--static", "web*", "mine.send", "test.ping");
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Write("orch/mine.sls", "{%- for id in salt['mine.get']('web*', 'test.ping') | sort %}\nping-{{ id }}:\n  salt.function:\n    - name: test.ping\n    - tgt: {{ id }}\n{%- endfor %}\n");

        var (cli, steps) = await OrchestrateAsync("orch.mine");

        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Equal(["ping-web1", "ping-web2"], steps.Select(s => (string?)s["__id__"]));
    }

    [Theory]
    [InlineData("- fail_minions: db1", true, "States ran successfully. Updating db1. No changes made to web1, web2.")]
    [InlineData("- allow_fail: 1", true, "States ran successfully. Updating db1. No changes made to web1, web2.")]
    [InlineData("- allow_fail: 0", false, "Run failed on minions: db1")]
    public async Task FailMinionsAndAllowFail_DecideWhetherAMinionsFailureFailsTheStep(string option, bool ok, string comment)
    {
        Write("flaky.sls", "flaky:\n{%- if grains['id'] == 'db1' %}\n  test.fail_without_changes: []\n{%- else %}\n  test.succeed_without_changes: []\n{%- endif %}\n");
        Write("orch/tolerant.sls", $"all:\n  salt.state:\n    - tgt: '*'\n    - sls: flaky\n    {option}\n");

        var (cli, steps) = await OrchestrateAsync("orch.tolerant");

        Assert.Equal(ok ? 0 : 1, cli.ExitCode);
        Assert.Equal(ok, Step(steps, "all")["result"]);
        Assert.Equal(comment, Step(steps, "all")["comment"]);
    }
}
