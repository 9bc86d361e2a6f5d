using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class GrainsModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin();

    public GrainsModuleTests()
    {
        _harness.Grains["os"] = "Debian";
        _harness.Grains["pkg"] = new Dictionary<string, object?> { ["apache"] = "apache2", ["list"] = new List<object?> { "a", "b" } };
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Items_ReturnsAllGrains()
    {
        var items = (Dictionary<string, object?>)(await _harness.ReturnAsync("grains.items"))!;
        Assert.Equal("Debian", items["os"]);
    }

    [Fact]
    public async Task Get_TraversesNestedKeys()
    {
        Assert.Equal("apache2", await _harness.ReturnAsync("grains.get", "pkg:apache"));
        Assert.Equal("b", await _harness.ReturnAsync("grains.get", "pkg:list:1"));
        Assert.Equal("apache2", await _harness.ReturnAsync("grains.get", [ "pkg.apache" ], Kw(("delimiter", "."))));
    }

    [Fact]
    public async Task Get_Missing_ReturnsDefault()
    {
        Assert.Equal(string.Empty, await _harness.ReturnAsync("grains.get", "nope"));
        Assert.Equal("fallback", await _harness.ReturnAsync("grains.get", "pkg:nope", "fallback"));
    }

    [Fact]
    public async Task Item_ReturnsRequestedKeys()
    {
        var items = (Dictionary<string, object?>)(await _harness.ReturnAsync("grains.item", "os", "pkg:apache", "missing"))!;
        Assert.Equal("Debian", items["os"]);
        Assert.Equal("apache2", items["pkg:apache"]);
        Assert.Equal(string.Empty, items["missing"]);
    }

    [Fact]
    public async Task Ls_ReturnsSortedKeys() => Assert.Equal(new List<object?> { "os", "pkg" }, await _harness.ReturnAsync("grains.ls"));

    [Fact]
    public async Task Setval_UpdatesGrainsAndPersists()
    {
        var ret = await _harness.ReturnAsync("grains.setval", "roles", new List<object?> { "web" });
        Assert.Equal(new Dictionary<string, object?> { ["roles"] = new List<object?> { "web" } }, ret);
        Assert.Equal(new List<object?> { "web" }, _harness.Grains["roles"]);
        Assert.Equal(new List<object?> { "web" }, GrainsFile.Load(_harness.CacheDir)["roles"]);
    }

    [Fact]
    public async Task Setval_PersistedGrains_LoadedByCollectorAtStartup()
    {
        await _harness.ReturnAsync("grains.setval", "datacenter", "paris");
        var collector = new GrainsCollector().Add(new IdGrains());
        var result = await collector.CollectAsync(
            new GrainContext { MinionId = "m1", CacheDir = _harness.CacheDir }, null, CancellationToken.None);
        Assert.Equal("paris", result.Grains["datacenter"]);
        Assert.Equal("m1", result.Grains["id"]);
    }

    [Fact]
    public async Task Delval_SetsNoneUnlessDestructive()
    {
        await _harness.ReturnAsync("grains.setval", "tmp", "x");
        Assert.Equal(new Dictionary<string, object?> { ["tmp"] = null }, await _harness.ReturnAsync("grains.delval", "tmp"));
        Assert.True(_harness.Grains.ContainsKey("tmp"));
        Assert.Null(_harness.Grains["tmp"]);
        await _harness.ReturnAsync("grains.delval", ["tmp"], Kw(("destructive", true)));
        Assert.False(_harness.Grains.ContainsKey("tmp"));
        Assert.False(GrainsFile.Load(_harness.CacheDir).ContainsKey("tmp"));
    }

    [Fact]
    public async Task Delkey_RemovesKey()
    {
        await _harness.ReturnAsync("grains.setval", "tmp", "x");
        await _harness.ReturnAsync("grains.delkey", "tmp");
        Assert.False(_harness.Grains.ContainsKey("tmp"));
    }

    [Fact]
    public async Task Setvals_SetsSeveral()
    {
        await _harness.ReturnAsync("grains.setvals", new Dictionary<string, object?> { ["a"] = 1L, ["b"] = "two" });
        Assert.Equal(1L, _harness.Grains["a"]);
        Assert.Equal("two", GrainsFile.Load(_harness.CacheDir)["b"]);
    }

    [Fact]
    public async Task Append_AddsToListAndRejectsDuplicates()
    {
        Assert.Equal(new Dictionary<string, object?> { ["roles"] = new List<object?> { "db" } }, await _harness.ReturnAsync("grains.append", "roles", "db"));
        await _harness.ReturnAsync("grains.append", "roles", "web");
        Assert.Equal(new List<object?> { "db", "web" }, _harness.Grains["roles"]);
        Assert.Contains("already in the list", (string)(await _harness.ReturnAsync("grains.append", "roles", "db"))!);
        Assert.Contains("not a valid list", (string)(await _harness.ReturnAsync("grains.append", "os", "x"))!);
    }

    [Fact]
    public async Task Append_NestedKey_UpdatesTopLevelGrain()
    {
        await _harness.ReturnAsync("grains.append", "pkg:list", "c");
        Assert.Equal(new List<object?> { "a", "b", "c" }, await _harness.ReturnAsync("grains.get", "pkg:list"));
        Assert.Equal("apache2", await _harness.ReturnAsync("grains.get", "pkg:apache"));
    }

    [Fact]
    public async Task Remove_TakesValueOutOfList()
    {
        await _harness.ReturnAsync("grains.setval", "roles", new List<object?> { "a", "b" });
        await _harness.ReturnAsync("grains.remove", "roles", "a");
        Assert.Equal(new List<object?> { "b" }, _harness.Grains["roles"]);
    }

    [Fact]
    public async Task Equals_ComparesNestedValues()
    {
        _harness.Grains["systemd"] = new Dictionary<string, object?> { ["version"] = 252L };
        Assert.Equal(true, await _harness.ReturnAsync("grains.equals", "pkg:apache", "apache2"));
        Assert.Equal(true, await _harness.ReturnAsync("grains.equals", "systemd:version", "252"));
        Assert.Equal(false, await _harness.ReturnAsync("grains.equals", "os", "RedHat"));
    }

    [Fact]
    public async Task Fetch_IsGet() => Assert.Equal("apache2", await _harness.ReturnAsync("grains.fetch", "pkg:apache"));

    [Fact]
    public async Task HasValue_ReflectsTruthiness()
    {
        Assert.Equal(true, await _harness.ReturnAsync("grains.has_value", "pkg:apache"));
        Assert.Equal(false, await _harness.ReturnAsync("grains.has_value", "pkg:none"));
    }
}
