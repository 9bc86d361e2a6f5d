using Orchestrator.Master.Events;
using Orchestrator.Master.Jobs;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a real master and minion on loopback. A job in the minion's <c>schedule:</c> runs every second and its return
/// reaches the master like a job's (job cache, <c>salt/job/&lt;jid&gt;/ret/&lt;id&gt;</c> with the schedule's name); jobs are
/// added, listed, saved and deleted through the CLI, and a saved job comes back after a minion restart; the master's own
/// <c>schedule:</c> runs a runner into the job cache.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ScheduleTests : IAsyncLifetime
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(o =>
        o.Raw["schedule"] = YamlLoader.Load("up: {function: manage.up, seconds: 1}\n"));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private EventSubscription Subscribe(Func<string, bool> match) => _cluster.MasterService<EventBus>().Subscribe(match);

    private async Task<TestMinion> MinionAsync(string id, string scheduleYaml) =>
        await _cluster.AddMinionAsync(id, configure: o =>
        {
            o.Raw["schedule"] = YamlLoader.Load(scheduleYaml);
            o.ConfigDir = _cluster.Root.Combine(id, "config");
        });

    private static async Task<MasterEvent> NextAsync(EventSubscription events, string phase, Func<MasterEvent, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        try
        {
            while (true)
            {
                var e = await events.Reader.ReadAsync(timeout.Token);
                if (match is null || match(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"timed out waiting for {phase}");
        }
    }

    private static Dictionary<string, object?> Json(CliResult result) => (Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!;

    private static object? Returned(CliResult result, string minion) => Json(result)[minion];

    [Fact]
    public async Task MinionConfigJob_ReturnReachesTheJobCacheAndTheBus()
    {
        using var returns = Subscribe(tag => tag.StartsWith("salt/job/", StringComparison.Ordinal) && tag.EndsWith("/ret/sch1", StringComparison.Ordinal));
        await MinionAsync("sch1", "echo: {function: test.arg, args: [hello], kwargs: {color: blue}, seconds: 1}\n");

        var ret = await NextAsync(returns, "the scheduled job's return", e => e.Data.GetValueOrDefault("schedule") is "echo");
        var jid = (string)ret.Data["jid"]!;
        var cache = _cluster.MasterService<IJobCache>();
        await Poll.UntilAsync(() => cache.GetReturns(jid).Count == 1, $"the return of {jid} in the job cache");
        var lookup = await _cluster.CliVerbAsync("run", "--out", "json", "jobs.lookup_jid", jid);
        var listed = await _cluster.CliVerbAsync("run", "--out", "json", "jobs.list_jobs", "search_function=test.arg");

        Assert.Equal($"salt/job/{jid}/ret/sch1", ret.Tag);
        Assert.Equal("test.arg", ret.Data["fun"]);
        Assert.Equal(new List<object?> { "hello", new Dictionary<string, object?> { ["color"] = "blue" } }, ret.Data["fun_args"]);
        Assert.Equal(true, ret.Data["success"]);
        var job = cache.GetJob(jid);
        Assert.NotNull(job);
        Assert.Equal(["sch1"], job.Minions);
        Assert.Equal("sch1", job.Target);
        Assert.True(lookup.ExitCode == 0, lookup.ToString());
        var returned = (Dictionary<string, object?>)Json(lookup)["sch1"]!;
        Assert.Equal(new List<object?> { "hello" }, returned["args"]);
        Assert.True(Json(listed).ContainsKey(jid), listed.ToString());
    }

    [Fact]
    public async Task ScheduleModule_AddListDelete_ThroughTheCli()
    {
        var minion = await MinionAsync("sch2", "{}");

        var add = await _cluster.CliAsync("--out", "json", "sch2", "schedule.add", "job1", "function=test.echo", "job_args=['hi']", "seconds=3600");
        var duplicate = await _cluster.CliAsync("--out", "json", "sch2", "schedule.add", "job1", "function=test.echo", "seconds=3600");
        var bad = await _cluster.CliAsync("--out", "json", "sch2", "schedule.add", "job2", "function=test.ping", "seconds=10", "cron=* * * * *");
        var listYaml = await _cluster.CliAsync("--out", "json", "sch2", "schedule.list");
        var next = await _cluster.CliAsync("--out", "json", "sch2", "schedule.show_next_fire_time", "job1");
        var delete = await _cluster.CliAsync("--out", "json", "sch2", "schedule.delete", "job1");
        var listAfter = await _cluster.CliAsync("--out", "json", "sch2", "schedule.list", "return_yaml=False");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("Added job: job1 to schedule.", ((Dictionary<string, object?>)Returned(add, "sch2")!)["comment"]);
        Assert.Equal("Job job1 already exists in schedule.", ((Dictionary<string, object?>)Returned(duplicate, "sch2")!)["comment"]);
        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.NotEqual(0, bad.ExitCode);
        var yaml = (string)Returned(listYaml, "sch2")!;
        var listed = (Dictionary<string, object?>)((Dictionary<string, object?>)YamlLoader.Load(yaml)!)["schedule"]!;
        var job1 = (Dictionary<string, object?>)listed["job1"]!;
        Assert.Equal("test.echo", job1["function"]);
        Assert.Equal(new List<object?> { "hi" }, job1["args"]);
        Assert.Equal(3600L, job1["seconds"]);
        Assert.Equal(true, job1["saved"]);
        Assert.Equal(true, ((Dictionary<string, object?>)Returned(next, "sch2")!)["result"]);
        Assert.Equal("Deleted Job job1 from schedule.", ((Dictionary<string, object?>)Returned(delete, "sch2")!)["comment"]);
        Assert.False(((Dictionary<string, object?>)Returned(listAfter, "sch2")!).ContainsKey("job1"));
        Assert.DoesNotContain("job1", await File.ReadAllTextAsync(Path.Combine(minion.Options.ConfigDir!, "minion.d", "_schedule.conf")));
    }

    [Fact]
    public async Task ScheduleSave_SurvivesAMinionRestart()
    {
        var minion = await MinionAsync("sch3", "{}");
        var add = await _cluster.CliAsync("--out", "json", "sch3", "schedule.add", "keep", "function=test.ping", "minutes=5", "persist=False");
        var file = Path.Combine(minion.Options.ConfigDir!, "minion.d", "_schedule.conf");
        var existedBeforeSave = File.Exists(file);
        var save = await _cluster.CliAsync("--out", "json", "sch3", "schedule.save");

        await minion.StopAsync();
        using (var started = Subscribe(tag => tag == EventTag.MinionStart("sch3")))
        {
            await minion.StartAsync();
            await TestCluster.WaitForEventAsync(started, "restart of minion sch3");
        }
        var list = await _cluster.CliAsync("--out", "json", "sch3", "schedule.list", "return_yaml=False");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.False(existedBeforeSave);
        Assert.Equal("Schedule (non-pillar items) saved.", ((Dictionary<string, object?>)Returned(save, "sch3")!)["comment"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var keep = (Dictionary<string, object?>)((Dictionary<string, object?>)Returned(list, "sch3")!)["keep"]!;
        Assert.Equal("test.ping", keep["function"]);
        Assert.Equal(5L, keep["minutes"]);
    }

    [Fact]
    public async Task MasterSchedule_RunsARunnerIntoTheJobCache()
    {
        using var runs = Subscribe(tag => tag.StartsWith("salt/run/", StringComparison.Ordinal) && tag.EndsWith("/ret", StringComparison.Ordinal));

        var ret = await NextAsync(runs, "the master's scheduled manage.up", e => e.Data.GetValueOrDefault("fun") is "runner.manage.up");
        var jid = (string)ret.Data["jid"]!;
        var cache = _cluster.MasterService<IJobCache>();

        Assert.Equal(true, ret.Data["success"]);
        Assert.Equal("schedule", ret.Data["user"]);
        Assert.Equal("runner.manage.up", cache.GetJob(jid)?.Function);
        Assert.Single(cache.GetReturns(jid));
    }
}
