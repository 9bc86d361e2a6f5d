using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class DiskModuleTests
{
    [Fact]
    public async Task Usage_RealHost_HasRootMount()
    {
        using var harness = ModuleHarness.Builtin();
        var usage = (Dictionary<string, object?>)(await harness.ReturnAsync("disk.usage"))!;
        var root = (Dictionary<string, object?>)usage["/"]!;
        Assert.Matches(@"^\d+$", (string)root["1K-blocks"]!);
        Assert.Matches(@"^\d+%$", (string)root["capacity"]!);
        Assert.IsType<string>(root["filesystem"]);
    }

    [Fact]
    public async Task Usage_ParsesDfOutputWithSpacesInMount()
    {
        var runner = new FakeProcessRunner().On("df -P", stdout:
            "Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/sda1 100 40 60 40% /\n/dev/sdb1 10 1 9 10% /mnt/my disk\n");
        using var harness = ModuleHarness.Builtin(new ModuleProviders { ProcessRunner = runner });
        var usage = (Dictionary<string, object?>)(await harness.ReturnAsync("disk.usage"))!;
        Assert.Equal(new Dictionary<string, object?>
        {
            ["filesystem"] = "/dev/sdb1", ["1K-blocks"] = "10", ["used"] = "1", ["available"] = "9", ["capacity"] = "10%",
        }, usage["/mnt/my disk"]);
    }

    [Fact]
    public async Task Usage_BadFlags_Rejected()
    {
        using var harness = ModuleHarness.Builtin(new ModuleProviders { ProcessRunner = new FakeProcessRunner() });
        Assert.False((await harness.InvokeAsync("disk.usage", "; rm -rf /")).Success);
    }
}
