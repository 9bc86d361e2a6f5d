using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class GroupModuleTests : IDisposable
{
    private readonly TempDir _root = Some.TempDir();
    private readonly ModuleHarness _harness;

    public GroupModuleTests()
    {
        Directory.CreateDirectory(_root.Combine("etc"));
        File.WriteAllText(_root.Combine("etc", "group"), "root:x:0:\nwheel:x:10:alice,bob\n");
        _harness = ModuleHarness.Builtin(new ModuleProviders { Accounts = new EtcAccountDatabase(_root.Path), ProcessRunner = new FakeProcessRunner() });
    }

    public void Dispose()
    {
        _harness.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Info_ReturnsSaltShape() =>
        Assert.Equal(new Dictionary<string, object?>
        {
            ["gid"] = 10L,
            ["members"] = new List<object?> { "alice", "bob" },
            ["name"] = "wheel",
            ["passwd"] = "x",
        }, await _harness.ReturnAsync("group.info", "wheel"));

    [Fact]
    public async Task Info_Unknown_ReturnsEmptyDict() => Assert.Equal(new Dictionary<string, object?>(), await _harness.ReturnAsync("group.info", "nope"));

    [Fact]
    public async Task Getent_ListsEveryGroup()
    {
        var groups = (List<object?>)(await _harness.ReturnAsync("group.getent"))!;
        Assert.Equal(["root", "wheel"], groups.Cast<Dictionary<string, object?>>().Select(g => g["name"]));
    }

    [Fact]
    public async Task Members_CommaSeparated() => Assert.Equal("alice,bob", await _harness.ReturnAsync("group.members", "wheel"));

    [Fact]
    public async Task RealHost_RootGroupHasGidZero()
    {
        using var harness = ModuleHarness.Builtin();
        Assert.Equal(0L, ((Dictionary<string, object?>)(await harness.ReturnAsync("group.info", "root"))!)["gid"]);
    }
}
