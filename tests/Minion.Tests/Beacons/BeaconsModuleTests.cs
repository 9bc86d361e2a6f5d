using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class BeaconsModuleTests : IAsyncLifetime
{
    private const string PsData = "[{processes: {nginx: running}}]";

    private readonly TempDir _dir = new();
    private readonly FakeMinionEvents _events = new();
    private readonly ExecutionModuleRegistry _registry = new ExecutionModuleRegistry().Add(new BeaconsModule());
    private BeaconManager _manager = null!;
    private ModuleContext _context = null!;

    public Task InitializeAsync() => StartAsync("{load: [{averages: {1m: [0, 1000]}}]}", configDir: _dir.Path);

    private Task StartAsync(string beacons, string? configDir, string? pillar = null)
    {
        var options = new MinionOptions { Id = "m1", ConfigDir = configDir };
        options.Raw["beacons"] = Yaml(beacons);
        _manager = new BeaconManager(options, new BeaconRegistry().AddBuiltinBeacons(), new FakeTimeProvider(), NullLogger<BeaconManager>.Instance);
        _context = new ModuleContext
        {
            MinionId = "m1",
            Grains = new Dictionary<string, object?>(),
            Opts = options.Raw,
            Modules = _registry,
            CacheDir = _dir.Path,
            Events = _events,
            Beacons = _manager,
        };
        if (pillar is not null)
        {
            _context.Pillar["beacons"] = Yaml(pillar);
        }
        _manager.Start(_context);
        return Task.CompletedTask;
    }

    private Task<FunctionResult> CallAsync(string function, params (string Key, object? Value)[] kwargs) =>
        _registry.InvokeAsync($"beacons.{function}", [], kwargs.ToDictionary(k => k.Key, k => k.Value), _context, CancellationToken.None);

    private async Task<Dictionary<string, object?>> ResultAsync(string function, params (string Key, object? Value)[] kwargs) =>
        (Dictionary<string, object?>)(await CallAsync(function, kwargs)).Return!;

    private static Dictionary<string, object?> Salt(bool result, string comment) => new() { ["comment"] = comment, ["result"] = result };

    private (string Tag, Dictionary<string, object?> Data) Local(string tag) => _events.Local.Last(e => e.Tag == tag);

    private (string Tag, Dictionary<string, object?> Data) Master(string tag) => _events.MasterSnapshot().Last(e => e.Tag == tag);

    [Fact]
    public async Task Add_AddsAndRuns_AndFiresSaltsEventsLocallyAndToTheMaster()
    {
        var result = await CallAsync("add", ("name", "ps"), ("beacon_data", Yaml(PsData)));

        Assert.Equal(Salt(true, "Added beacon: ps."), result.Return);
        Assert.Equal(0, result.Retcode);
        Assert.True(_manager.Status["ps"].Running);
        Assert.Equal(true, Local("/salt/minion/minion_beacon_validation_complete").Data["valid"]);
        var local = Local("/salt/minion/minion_beacon_add_complete").Data;
        Assert.Equal(true, local["complete"]);
        Assert.Equal("Added new beacon item: ps", local["comment"]);
        Assert.True(((Dictionary<string, object?>)local["beacons"]!).ContainsKey("ps"));
        var master = Master("salt/minion/m1/beacons_add_complete").Data;
        Assert.Equal(true, master["complete"]);
        Assert.Equal(local["beacons"], master["beacons"]);
    }

    [Fact]
    public async Task Add_AcceptsBeaconDataAsYamlText()
    {
        Assert.Equal(Salt(true, "Added beacon: ps."), await ResultAsync("add", ("name", "ps"), ("beacon_data", PsData)));
    }

    [Fact]
    public async Task Add_Existing_Unknown_Invalid_AndTest_AnswerAsSalt()
    {
        var existing = await CallAsync("add", ("name", "load"), ("beacon_data", Yaml("[{averages: {1m: [0, 1]}}]")));
        var unknown = await CallAsync("add", ("name", "web"), ("beacon_data", Yaml("[{beacon_module: nosuch}]")));
        var invalid = await CallAsync("add", ("name", "ps"), ("beacon_data", Yaml("[{interval: 5}]")));
        var test = await CallAsync("add", ("name", "ps"), ("beacon_data", Yaml(PsData)), ("test", true));

        Assert.Equal(Salt(true, "Beacon load is already configured."), existing.Return);
        Assert.Equal(Salt(false, "Beacon \"nosuch\" is not available."), unknown.Return);
        Assert.Equal(1, unknown.Retcode);
        Assert.Equal(Salt(false, "Beacon ps configuration invalid, not adding.\nbeacon 'ps': 'processes' is required"), invalid.Return);
        Assert.Equal(Salt(true, "Beacon: ps would be added."), test.Return);
        Assert.False(_manager.List().ContainsKey("ps"));
    }

    [Fact]
    public async Task BadBeaconData_IsAClearError()
    {
        var result = await CallAsync("add", ("name", "ps"), ("beacon_data", "just words"));

        Assert.False(result.Success);
        Assert.Contains("beacon_data must be a list of mappings", (string)result.Return!);
    }

    [Fact]
    public async Task Modify_ReplacesTheConfigurationAndShowsTheDiff()
    {
        var modified = await ResultAsync("modify", ("name", "load"), ("beacon_data", Yaml("[{averages: {1m: [0, 2000]}}]")));
        var same = await ResultAsync("modify", ("name", "load"), ("beacon_data", Yaml("[{averages: {1m: [0, 2000]}}]")));
        var missing = await CallAsync("modify", ("name", "ps"), ("beacon_data", Yaml(PsData)));

        Assert.Equal("Modified beacon: load.", modified["comment"]);
        Assert.Equal(
            "--- \n+++ \n@@ -1 +1 @@\n-averages:{'1m': [0, 1000]}\n+averages:{'1m': [0, 2000]}\n",
            ((Dictionary<string, object?>)modified["changes"]!)["diff"]);
        Assert.Equal(Salt(true, "Job load in correct state"), same);
        Assert.Equal(Salt(false, "Beacon ps is not configured."), missing.Return);
        Assert.Equal(1, missing.Retcode);
        Assert.Equal(true, Master("salt/minion/m1/beacons_modify_complete").Data["complete"]);
    }

    [Fact]
    public async Task Delete_RemovesTheBeacon()
    {
        var test = await ResultAsync("delete", ("name", "load"), ("test", true));
        var deleted = await ResultAsync("delete", ("name", "load"));

        Assert.Equal(Salt(true, "Beacon: load would be deleted."), test);
        Assert.Equal(Salt(true, "Deleted beacon: load."), deleted);
        Assert.Empty(_manager.Status);
        Assert.Equal("Deleting beacon item: load", Master("salt/minion/m1/beacons_delete_complete").Data["comment"]);
    }

    [Fact]
    public async Task DisableAndEnableOneBeacon()
    {
        var disabled = await ResultAsync("disable_beacon", ("name", "load"));
        var stopped = _manager.Status["load"].Running;
        var enabled = await ResultAsync("enable_beacon", ("name", "load"));
        var missing = await ResultAsync("enable_beacon", ("name", "ps"));

        Assert.Equal(Salt(true, "Disabled beacon load on minion."), disabled);
        Assert.False(stopped);
        Assert.Equal(Salt(true, "Enabled beacon load on minion."), enabled);
        Assert.True(_manager.Status["load"].Running);
        Assert.Equal(Salt(false, "Beacon ps is not currently configured."), missing);
        Assert.Equal(true, Master("salt/minion/m1/beacons_disable_beacon_complete").Data["complete"]);
        Assert.Single(_events.Local, e => e.Tag == "/salt/minion/minion_beacon_disabled_complete");
    }

    [Fact]
    public async Task DisableAndEnableAllBeacons()
    {
        var test = await ResultAsync("disable", ("test", true));
        var disabled = await ResultAsync("disable");
        var enabled = await ResultAsync("enable");

        Assert.Equal(Salt(true, "Beacons would be disabled."), test);
        Assert.Equal(Salt(true, "Disabled beacons on minion."), disabled);
        Assert.Equal(Salt(true, "Enabled beacons on minion."), enabled);
        Assert.Equal(false, ((Dictionary<string, object?>)Master("salt/minion/m1/beacons_disable_complete").Data["beacons"]!)["enabled"]);
        Assert.Single(_events.Local, e => e.Tag == "/salt/minion/minion_beacons_enabled_complete");
    }

    [Fact]
    public async Task List_ReturnsYamlByDefault_OrTheData()
    {
        var yaml = (await CallAsync("list")).Return;
        var data = (await CallAsync("list", ("return_yaml", false))).Return;

        Assert.Equal("beacons:\n  load:\n  - averages:\n      1m:\n      - 0\n      - 1000\n", yaml);
        Assert.Equal(Yaml("{load: [{averages: {1m: [0, 1000]}}]}"), data);
        Assert.Equal(true, Master("salt/minion/m1/beacons_list_complete").Data["complete"]);
    }

    [Fact]
    public async Task List_ChoosesSources()
    {
        await StartAsync("{load: [{averages: {1m: [0, 1]}}]}", _dir.Path, pillar: "{ps: [{processes: {a: running}}]}");

        var pillarOnly = (Dictionary<string, object?>)(await CallAsync("list", ("return_yaml", false), ("include_opts", false))).Return!;
        var optsOnly = (Dictionary<string, object?>)(await CallAsync("list", ("return_yaml", false), ("include_pillar", false))).Return!;

        Assert.Equal(["ps"], pillarOnly.Keys);
        Assert.Equal(["load"], optsOnly.Keys);
    }

    [Fact]
    public async Task ListAvailable_NamesTheBuiltInBeacons()
    {
        var names = (List<object?>)(await CallAsync("list_available", ("return_yaml", false))).Return!;

        Assert.Contains("inotify", names);
        Assert.Contains("diskusage", names);
        Assert.Equal(names, (List<object?>)Local("/salt/minion/minion_beacons_list_available_complete").Data["beacons"]!);
    }

    [Fact]
    public async Task Save_WritesMinionDBeaconsConf()
    {
        var saved = await ResultAsync("save");

        var path = Path.Combine(_dir.Path, "minion.d", "beacons.conf");
        Assert.Equal(Salt(true, $"Beacons saved to {path}."), saved);
        Assert.Equal("beacons:\n  load:\n  - averages:\n      1m:\n      - 0\n      - 1000\n", File.ReadAllText(path));
        Assert.Equal(true, Master("salt/minion/m1/beacons_save_complete").Data["complete"]);
    }

    [Fact]
    public async Task Save_WithoutAConfigDirectory_Fails()
    {
        await StartAsync("{}", configDir: null);

        var result = await CallAsync("save");

        Assert.Equal(1, result.Retcode);
        Assert.Equal(false, ((Dictionary<string, object?>)result.Return!)["result"]);
    }

    [Fact]
    public async Task Reset_ClearsTheMinionsBeacons()
    {
        Assert.Equal(Salt(true, "Beacons would be reset."), await ResultAsync("reset", ("test", true)));
        Assert.Equal(Salt(true, "Beacon configuration reset."), await ResultAsync("reset"));
        Assert.Empty(_manager.List());
    }

    [Fact]
    public async Task PillarBeacon_CannotBeDeleted()
    {
        await StartAsync("{}", _dir.Path, pillar: "{ps: [{processes: {a: running}}]}");

        var result = await CallAsync("delete", ("name", "ps"));

        Assert.Equal(Salt(false, "Cannot delete beacon item ps, it is configured in pillar."), result.Return);
    }

    [Fact]
    public async Task SysDoc_ListsEveryFunctionWithItsDoc()
    {
        using var harness = ModuleHarness.Builtin(new() { ProcessRunner = new FakeProcessRunner() });

        var functions = (List<object?>)(await harness.ReturnAsync("sys.list_functions", "beacons"))!;
        var docs = (Dictionary<string, object?>)(await harness.ReturnAsync("sys.doc", "beacons"))!;

        Assert.Equal(
            ["beacons.add", "beacons.delete", "beacons.disable", "beacons.disable_beacon", "beacons.enable", "beacons.enable_beacon",
             "beacons.list", "beacons.list_available", "beacons.modify", "beacons.reset", "beacons.save"],
            functions);
        Assert.All(docs.Values, d => Assert.Contains("CLI Example: orch '*' beacons.", (string)d!));
    }

    [Fact]
    public async Task WithoutABeaconManager_SaysWhy()
    {
        var context = new ModuleContext
        {
            MinionId = "m1", Grains = new Dictionary<string, object?>(), Opts = new Dictionary<string, object?>(), Modules = _registry, CacheDir = _dir.Path,
        };

        var result = await _registry.InvokeAsync("beacons.list", [], new Dictionary<string, object?>(), context, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("beacons do not run in this context", (string)result.Return!);
    }

    public async Task DisposeAsync()
    {
        await _manager.StopAsync();
        _dir.Dispose();
    }
}
