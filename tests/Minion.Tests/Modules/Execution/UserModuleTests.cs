using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class UserModuleTests : IDisposable
{
    private readonly TempDir _root = Some.TempDir();
    private readonly ModuleHarness _harness;

    public UserModuleTests()
    {
        Directory.CreateDirectory(_root.Combine("etc"));
        File.WriteAllText(_root.Combine("etc", "passwd"),
            "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice Liddell,12,555-1,555-2,extra:/home/alice:/bin/zsh\n# comment\n");
        File.WriteAllText(_root.Combine("etc", "group"), "root:x:0:\nalice:x:1000:\nwheel:x:10:alice,bob\nstaff:x:50:bob\n");
        _harness = ModuleHarness.Builtin(new ModuleProviders { Accounts = new EtcAccountDatabase(_root.Path), ProcessRunner = new FakeProcessRunner() });
    }

    public void Dispose()
    {
        _harness.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task Info_ReturnsSaltShape()
    {
        var info = (Dictionary<string, object?>)(await _harness.ReturnAsync("user.info", "alice"))!;
        Assert.Equal("alice", info["name"]);
        Assert.Equal(1000L, info["uid"]);
        Assert.Equal(1000L, info["gid"]);
        Assert.Equal("/home/alice", info["home"]);
        Assert.Equal("/bin/zsh", info["shell"]);
        Assert.Equal("Alice Liddell", info["fullname"]);
        Assert.Equal("12", info["roomnumber"]);
        Assert.Equal("555-1", info["workphone"]);
        Assert.Equal("555-2", info["homephone"]);
        Assert.Equal("extra", info["other"]);
        Assert.Equal(new List<object?> { "alice", "wheel" }, info["groups"]);
    }

    [Fact]
    public async Task Info_UnknownUser_ReturnsEmptyDict() =>
        Assert.Equal(new Dictionary<string, object?>(), await _harness.ReturnAsync("user.info", "nobody-here"));

    [Fact]
    public async Task ListUsers_ReturnsSortedNames() =>
        Assert.Equal(new List<object?> { "alice", "root" }, await _harness.ReturnAsync("user.list_users"));

    [Fact]
    public async Task ListGroups_IncludesPrimaryAndSupplementary() =>
        Assert.Equal(new List<object?> { "alice", "wheel" }, await _harness.ReturnAsync("user.list_groups", "alice"));

    [Fact]
    public async Task PrimaryGroup_ResolvesGid() => Assert.Equal("alice", await _harness.ReturnAsync("user.primary_group", "alice"));

    [Fact]
    public async Task Getent_ListsEveryUser() => Assert.Equal(2, ((List<object?>)(await _harness.ReturnAsync("user.getent"))!).Count);

    [Fact]
    public async Task RealHost_RootExists()
    {
        using var harness = ModuleHarness.Builtin();
        var info = (Dictionary<string, object?>)(await harness.ReturnAsync("user.info", "root"))!;
        Assert.Equal(0L, info["uid"]);
        Assert.Contains("root", (List<object?>)(await harness.ReturnAsync("user.list_users"))!);
    }
}
