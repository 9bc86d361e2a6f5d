using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class StatusBeaconTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ModuleHarness _harness;
    private readonly string _root;

    public StatusBeaconTests()
    {
        _root = _dir.Path;
        _harness = ModuleHarness.For(p => [new StatusModule(new FakeProcessRunner(), p.HostRoot)], new() { HostRoot = _root });
        var proc = Path.Combine(_root, "proc");
        Directory.CreateDirectory(proc);
        File.WriteAllText(Path.Combine(proc, "loadavg"), "0.25 0.50 0.75 1/100 42\n");
        File.WriteAllText(Path.Combine(proc, "meminfo"), "MemTotal:       2048 kB\nMemFree:         1024 kB\n");
        File.WriteAllText(Path.Combine(proc, "stat"), "cpu  10 1 5 100 2 0 3 0 0 0\ncpu0 10 1 5 100 2 0 3 0 0 0\nintr 500 1 2 3\nctxt 9000\nbtime 1700000000\nprocs_running 2\n");
        File.WriteAllText(Path.Combine(proc, "vmstat"), "nr_free_pages 1234\npgfault 99\n");
    }

    private BeaconContext Context(TimeProvider? time = null) => new() { Name = "status", Module = _harness.Context, Time = time ?? TimeProvider.System };

    private async Task<Dictionary<string, object?>> ReportAsync(string yaml, TimeProvider? time = null)
    {
        var watcher = Create(new StatusBeacon(_root), yaml);
        var fired = Assert.Single(await watcher.PollAsync(Context(time), CancellationToken.None));
        return (Dictionary<string, object?>)fired["data"]!;
    }

    [Fact]
    public async Task Defaults_ReportSaltsFiveFunctions_TaggedWithUtcTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 10, 23, 23, 123, TimeSpan.Zero));
        var watcher = Create(new StatusBeacon(_root), "");

        var fired = Assert.Single(await watcher.PollAsync(Context(time), CancellationToken.None));
        var data = (Dictionary<string, object?>)fired["data"]!;

        Assert.Equal("2026-03-01T10:23:23.123000", fired["tag"]);
        Assert.Equal(["cpustats", "loadavg", "meminfo", "time", "vmstats"], data.Keys.Order());
        Assert.Equal(0.25, ((Dictionary<string, object?>)data["loadavg"]!)["1-min"]);
        var cpu = (Dictionary<string, object?>)((Dictionary<string, object?>)data["cpustats"]!)["cpu"]!;
        Assert.Equal(10L, cpu["user"]);
        Assert.Equal(100L, cpu["idle"]);
        Assert.Equal(9000L, ((Dictionary<string, object?>)data["cpustats"]!)["ctxt"]);
        Assert.Equal(1234L, ((Dictionary<string, object?>)data["vmstats"]!)["nr_free_pages"]);
        Assert.Equal("Sunday, 01. March 2026 10:23AM", data["time"]);
    }

    [Fact]
    public async Task FieldSelection_ReturnsOnlyTheNamedFields()
    {
        var data = await ReportAsync("- loadavg: [1-min, 15-min]");

        Assert.Equal(new Dictionary<string, object?> { ["1-min"] = 0.25, ["15-min"] = 0.75 }, (Dictionary<string, object?>)data["loadavg"]!);
    }

    [Fact]
    public async Task UnknownFieldOrFunction_SaySoInTheReport()
    {
        var data = await ReportAsync("[{loadavg: [2-min]}, {nosuch: [all]}]");

        Assert.Equal("Status beacon is incorrectly configured: '2-min'", data["loadavg"]);
        Assert.Equal("Status beacon is incorrectly configured: status.nosuch is not available", data["nosuch"]);
    }

    [Fact]
    public async Task FiresOnEveryPoll()
    {
        var watcher = Create(new StatusBeacon(_root), "- vmstats: [all]");

        Assert.Single(await watcher.PollAsync(Context(), CancellationToken.None));
        Assert.Single(await watcher.PollAsync(Context(), CancellationToken.None));
    }

    public void Dispose()
    {
        _harness.Dispose();
        _dir.Dispose();
    }
}
