using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class StatusModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = ModuleHarness.Builtin();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Uptime_ReturnsSaltShape()
    {
        var uptime = (Dictionary<string, object?>)(await _harness.ReturnAsync("status.uptime"))!;
        Assert.True((long)uptime["seconds"]! > 0);
        Assert.IsType<long>(uptime["since_t"]);
        Assert.IsType<long>(uptime["days"]);
        Assert.IsType<long>(uptime["users"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT", (string)uptime["since_iso"]!);
        Assert.Matches(@"^\d+:\d+$", (string)uptime["time"]!);
    }

    [Fact]
    public async Task Loadavg_ReturnsThreeDoubles()
    {
        var load = (Dictionary<string, object?>)(await _harness.ReturnAsync("status.loadavg"))!;
        Assert.Equal(["1-min", "5-min", "15-min"], load.Keys);
        Assert.All(load.Values, v => Assert.IsType<double>(v));
    }

    [Fact]
    public async Task Meminfo_HasMemTotalWithUnit()
    {
        var mem = (Dictionary<string, object?>)(await _harness.ReturnAsync("status.meminfo"))!;
        var total = (Dictionary<string, object?>)mem["MemTotal"]!;
        Assert.Equal("kB", total["unit"]);
        Assert.Matches(@"^\d+$", (string)total["value"]!);
    }

    [Fact]
    public async Task Cpuinfo_FromFakeProc_SplitsFlags()
    {
        using var root = Some.TempDir();
        Directory.CreateDirectory(root.Combine("proc"));
        await File.WriteAllTextAsync(root.Combine("proc", "cpuinfo"), "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu sse\n");
        using var harness = ModuleHarness.Builtin(new ModuleProviders { HostRoot = root.Path, ProcessRunner = new FakeProcessRunner() });
        var cpu = (Dictionary<string, object?>)(await harness.ReturnAsync("status.cpuinfo"))!;
        Assert.Equal("Test CPU", cpu["model name"]);
        Assert.Equal(new List<object?> { "fpu", "sse" }, cpu["flags"]);
    }

    [Fact]
    public async Task Diskusage_Root_ReturnsBytes()
    {
        var usage = (Dictionary<string, object?>)(await _harness.ReturnAsync("status.diskusage", "/"))!;
        var root = (Dictionary<string, object?>)usage["/"]!;
        Assert.True((long)root["total"]! >= (long)root["available"]!);
        var all = (Dictionary<string, object?>)(await _harness.ReturnAsync("status.diskusage"))!;
        Assert.Contains("/", all.Keys);
    }

    [Fact]
    public async Task Version_ReadsProcVersion() => Assert.StartsWith("Linux version", (string)(await _harness.ReturnAsync("status.version"))!);
}
