using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;
using Orchestrator.Testing;
using Poll = Orchestrator.Testing.Poll;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class BeaconManagerTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new();
    private readonly FakeMinionEvents _events = new();
    private readonly FakeRunningJobs _jobs = new();
    private readonly ScriptedBeacon _scripted = new();
    private readonly List<BeaconManager> _managers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    private MinionOptions Options(string? beaconsYaml)
    {
        var options = new MinionOptions { Id = "m1", ConfigDir = _dir.Path };
        if (beaconsYaml is not null)
        {
            options.Raw["beacons"] = Yaml(beaconsYaml);
        }
        return options;
    }

    private BeaconManager Manager(string? beaconsYaml, MinionOptions? options = null)
    {
        var manager = new BeaconManager(
            options ?? Options(beaconsYaml), new BeaconRegistry().AddBuiltinBeacons().Add(_scripted), _time, NullLogger<BeaconManager>.Instance);
        _managers.Add(manager);
        return manager;
    }

    private ModuleContext Context(BeaconManager manager, string? pillarYaml = null)
    {
        var context = new ModuleContext
        {
            MinionId = "m1",
            Grains = new Dictionary<string, object?>(),
            Opts = new Dictionary<string, object?>(),
            Modules = new ExecutionModuleRegistry(),
            CacheDir = _dir.Path,
            Events = _events,
            Jobs = _jobs,
            Beacons = manager,
        };
        if (pillarYaml is not null)
        {
            context.Pillar["beacons"] = Yaml(pillarYaml);
        }
        return context;
    }

    private async Task<BeaconManager> StartedAsync(string? beaconsYaml, string? pillarYaml = null)
    {
        var manager = Manager(beaconsYaml);
        manager.Start(Context(manager, pillarYaml));
        foreach (var name in manager.Status.Where(s => s.Value.Running).Select(s => s.Key))
        {
            await FirstPollAsync(manager, name);
        }
        return manager;
    }

    /// <summary>A runner polls once at start and then waits on the fake clock, which no test advances.</summary>
    private static Task FirstPollAsync(BeaconManager manager, string name) =>
        Poll.UntilAsync(() => manager.Status.TryGetValue(name, out var s) && (s.Polls > 0 || s.Failures > 0), $"first poll of {name}");

    private void Next(params Dictionary<string, object?>[] events)
    {
        lock (_scripted.Script)
        {
            _scripted.Script.Enqueue(() => events);
        }
    }

    private static Dictionary<string, object?> Event(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public async Task PillarWinsOnTheSameName_AndListShowsEachSource()
    {
        var manager = await StartedAsync(
            "{watch: [{source: opts}], only_opts: [{beacon_module: scripted}]}",
            "{watch: [{beacon_module: scripted}, {source: pillar}]}");

        Assert.Equal("pillar", _scripted.Configs.Last(c => c.Has("source")).Get("source"));
        Assert.Equal(["only_opts", "watch"], manager.Status.Keys);
        Assert.Equal("pillar", BeaconData(manager.List(), "watch")["source"]);
        Assert.Equal("opts", BeaconData(manager.List(includePillar: false), "watch")["source"]);
        Assert.Equal(["watch"], manager.List(includeOpts: false).Keys);
    }

    private static Dictionary<string, object?> BeaconData(Dictionary<string, object?> beacons, string name) =>
        Orchestrator.Minion.Beacons.BeaconData.Flatten(beacons[name]);

    [Fact]
    public async Task Events_GoToTheMasterUnderTheBeaconsTag_WithTheirOwnTagAppendedAndTheId()
    {
        var manager = await StartedAsync("{scripted: [{interval: 5}]}");
        Next(Event(("tag", "/etc/app"), ("path", "/etc/app/x")), Event(("value", 2L)));

        await manager.PollNowAsync("scripted", CancellationToken.None);
        await Poll.UntilAsync(() => _events.MasterSnapshot().Count == 2, "two events at the master");

        var sent = _events.MasterSnapshot();
        Assert.Equal("salt/beacon/m1/scripted//etc/app", sent[0].Tag);
        Assert.Equal(new Dictionary<string, object?> { ["path"] = "/etc/app/x", ["id"] = "m1" }, sent[0].Data);
        Assert.Equal("salt/beacon/m1/scripted/", sent[1].Tag);
        Assert.Equal("m1", sent[1].Data["id"]);
    }

    [Fact]
    public async Task ThrowingBeacon_IsRecordedAndTheNextPollRuns()
    {
        var manager = await StartedAsync("{scripted: []}");
        lock (_scripted.Script)
        {
            _scripted.Script.Enqueue(() => throw new InvalidOperationException("psutil exploded"));
        }
        Next(Event(("ok", true)));

        await manager.PollNowAsync("scripted", CancellationToken.None);
        var failed = manager.Status["scripted"];
        await manager.PollNowAsync("scripted", CancellationToken.None);
        var recovered = manager.Status["scripted"];

        Assert.Equal(1, failed.Failures);
        Assert.Contains("psutil exploded", failed.LastError);
        Assert.Equal(0, recovered.Failures);
        Assert.Null(recovered.LastError);
        await Poll.UntilAsync(() => _events.MasterSnapshot().Count == 1, "the event after the failure");
    }

    [Fact]
    public async Task InvalidBeacon_IsReportedWithNameAndKey_AndTheOthersRun()
    {
        var manager = await StartedAsync("""
            bad_load:
              - beacon_module: load
              - averages: {1m: [0, lots]}
            broken: 7
            fine:
              - beacon_module: scripted
            """);

        var status = manager.Status;

        Assert.Contains("beacon 'bad_load': 'averages:1m:1' must be a number", status["bad_load"].ConfigError);
        Assert.Equal("load", status["bad_load"].Module);
        Assert.False(status["bad_load"].Running);
        Assert.Contains("beacon 'broken'", status["broken"].ConfigError);
        Assert.True(status["fine"].Running);
    }

    [Fact]
    public void PillarRefresh_ReloadsThePillarBeacons()
    {
        var manager = Manager("{}");
        var context = Context(manager);
        manager.Start(context);
        Assert.Empty(manager.Status);

        context.ReplacePillar(new Dictionary<string, object?> { ["beacons"] = Yaml("{from_pillar: [{beacon_module: scripted}]}") });

        Assert.True(manager.Status["from_pillar"].Running);
        context.ReplacePillar(new Dictionary<string, object?>());
        Assert.Empty(manager.Status);
    }

    [Fact]
    public async Task UnchangedConfiguration_KeepsTheWatcher_AChangeReplacesIt()
    {
        var manager = await StartedAsync("{scripted: [{a: 1}]}");
        var created = _scripted.Created;

        manager.Reload();
        var afterReload = _scripted.Created;
        manager.Modify("scripted", Yaml("[{a: 2}]"));
        await Poll.UntilAsync(() => _scripted.Disposed == 1, "the old watcher disposed");

        Assert.Equal(created, afterReload);
        Assert.Equal(created + 1, _scripted.Created);
    }

    [Fact]
    public async Task DisableDuringStateRun_SkipsAndClosesTheWatcher_WhileAStateJobRuns()
    {
        var manager = await StartedAsync("{scripted: [{disable_during_state_run: True}]}");
        var polls = _scripted.Polls;

        _jobs.Functions.Add("state.apply");
        await manager.PollNowAsync("scripted", CancellationToken.None);
        var duringRun = _scripted.Polls;
        _jobs.Functions.Clear();
        await manager.PollNowAsync("scripted", CancellationToken.None);

        Assert.Equal(polls, duringRun);
        Assert.Equal(1, _scripted.Disposed);
        Assert.Equal(polls + 1, _scripted.Polls);
    }

    [Fact]
    public async Task DisabledBeacons_DoNotPoll()
    {
        var manager = await StartedAsync("{scripted: [], idle: [{beacon_module: scripted}, {enabled: False}]}");
        var polls = _scripted.Polls;

        manager.DisableAll();
        await manager.PollNowAsync("scripted", CancellationToken.None);

        Assert.False(manager.Status["idle"].Running);
        Assert.Equal(polls, _scripted.Polls);
        Assert.Equal(false, manager.List()["enabled"]);
    }

    [Fact]
    public async Task RunOnce_DisablesTheBeaconAfterItsFirstPoll()
    {
        var manager = Manager("{scripted: [{run_once: True}]}");
        manager.Start(Context(manager));

        await Poll.UntilAsync(() => !manager.Status["scripted"].Running, "run_once beacon stopped");

        Assert.Equal(false, BeaconData(manager.List(), "scripted")["enabled"]);
        Assert.Equal(1, _scripted.Polls);
    }

    [Fact]
    public async Task ChangesToPillarBeacons_AreRefused_InSaltsWords()
    {
        var manager = await StartedAsync("{}", "{ps: [{processes: {nginx: running}}]}");

        var add = manager.Add("ps", Yaml("[{processes: {sshd: running}}]"));
        var delete = manager.Delete("ps");
        var disable = manager.DisableBeacon("ps");

        Assert.False(add.Complete);
        Assert.Equal("Cannot update beacon item ps, because it is configured in pillar.", add.Comment);
        Assert.Equal("Cannot delete beacon item ps, it is configured in pillar.", delete.Comment);
        Assert.Equal("Cannot disable beacon item ps, it is configured in pillar.", disable.Comment);
        Assert.True(manager.Status["ps"].Running);
    }

    [Fact]
    public void EnableBeacon_SetsEnabledInEitherForm()
    {
        var manager = Manager("{listed: [{beacon_module: scripted}], dict: {beacon_module: scripted, enabled: false}, flagged: [{beacon_module: scripted}, {enabled: False}]}");

        manager.DisableBeacon("listed");
        manager.EnableBeacon("dict");
        manager.EnableBeacon("flagged");
        var beacons = manager.List();

        Assert.Equal(Yaml("[{beacon_module: scripted}, {enabled: False}]"), beacons["listed"]);
        Assert.Equal(Yaml("{beacon_module: scripted, enabled: True}"), beacons["dict"]);
        Assert.Equal(Yaml("[{beacon_module: scripted}, {enabled: True}]"), beacons["flagged"]);
        Assert.Equal("Beacon item nosuch not found.", manager.EnableBeacon("nosuch").Comment);
    }

    [Fact]
    public void Save_WritesOwnerOnlyYaml_ThatTheNextStartReadsBack()
    {
        var manager = Manager("{load: [{averages: {1m: [0, 2]}}]}");
        manager.Add("ps", Yaml("[{processes: {nginx: running}}]"));

        var path = manager.Save();
        var reborn = Manager(null);

        Assert.Equal(Path.Combine(_dir.Path, "minion.d", "beacons.conf"), path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("beacons:\n", File.ReadAllText(path));
        Assert.Equal(["load", "ps"], reborn.List().Keys.Order());
        Assert.Equal(manager.List(), reborn.List());
    }

    [Fact]
    public void SavedFile_WinsPerNameOverTheMinionFile_AndAnUnreadableOneIsIgnored()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "minion.d"));
        File.WriteAllText(Path.Combine(_dir.Path, "minion.d", "beacons.conf"), "beacons:\n  load:\n  - averages: {1m: [0, 9]}\n");
        var merged = Manager("{load: [{averages: {1m: [0, 2]}}], ps: [{processes: {a: running}}]}");
        File.WriteAllText(Path.Combine(_dir.Path, "minion.d", "beacons.conf"), "beacons: [oops\n");
        var unreadable = Manager("{ps: [{processes: {a: running}}]}");

        Assert.Equal(Yaml("[{averages: {1m: [0, 9]}}]"), merged.List()["load"]);
        Assert.True(merged.List().ContainsKey("ps"));
        Assert.Equal(["ps"], unreadable.List().Keys);
    }

    public async Task DisposeAsync()
    {
        foreach (var manager in _managers)
        {
            await manager.StopAsync();
        }
        _dir.Dispose();
    }
}
