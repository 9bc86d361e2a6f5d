using Orchestrator.Minion.StateEngine.Local;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class DefaultsModuleTests : IDisposable
{
    private readonly TempDir _roots = new();
    private readonly ModuleHarness _harness;

    public DefaultsModuleTests()
    {
        Directory.CreateDirectory(_roots.Combine("core"));
        File.WriteAllText(_roots.Combine("core", "defaults.yaml"), "users:\n  root:\n    shell: /bin/bash\n");
        Directory.CreateDirectory(_roots.Combine("jsononly"));
        File.WriteAllText(_roots.Combine("jsononly", "defaults.json"), "{\"a\": {\"b\": 1}}");
        _harness = Builtin(files: new LocalFileClient(new Dictionary<string, IReadOnlyList<string>> { ["base"] = [_roots.Path] }));
    }

    public void Dispose()
    {
        _harness.Dispose();
        _roots.Dispose();
    }

    private static Dictionary<string, object?> D(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public async Task Merge_InPlace_ChangesDest()
    {
        var dest = D(("a", "b"), ("n", D(("x", 1L))));

        var result = await _harness.ReturnAsync("defaults.merge", dest, D(("d", "e"), ("n", D(("y", 2L)))));

        Assert.Equal("{'a': 'b', 'n': {'x': 1, 'y': 2}, 'd': 'e'}", PyText.Str(dest));
        Assert.Same(dest, result);
    }

    [Fact]
    public async Task Merge_NotInPlace_LeavesDestAlone()
    {
        var dest = D(("l", new List<object?> { 1L }));

        var result = await _harness.ReturnAsync("defaults.merge", [dest, D(("l", new List<object?> { 2L }))], Kw(("in_place", false), ("merge_lists", true)));

        Assert.Equal("{'l': [1, 2]}", PyText.Str(result));
        Assert.Equal("{'l': [1]}", PyText.Str(dest));
    }

    [Fact]
    public async Task Merge_NoneSrc_IsAnEmptyDict() =>
        Assert.Equal("{'a': 1}", PyText.Str(await _harness.ReturnAsync("defaults.merge", D(("a", 1L)), null)));

    [Fact]
    public async Task Deepcopy_IsIndependent()
    {
        var source = D(("l", new List<object?> { 1L }));

        var copy = (Dictionary<string, object?>)(await _harness.ReturnAsync("defaults.deepcopy", source))!;
        ((List<object?>)source["l"]!).Add(2L);

        Assert.Equal("{'l': [1]}", PyText.Str(copy));
    }

    [Fact]
    public async Task Update_DocExample_EveryNodeGetsTheDefaults()
    {
        var group = D(
            ("defaults", D(("enabled", true), ("extra", new List<object?> { "test", "stage" }))),
            ("nodes", D(("host01", D(("index", "foo"), ("upstream", "bar"))), ("host02", D(("index", "foo2"), ("upstream", "bar2"))))));

        await _harness.ReturnAsync("defaults.update", group["nodes"], group["defaults"]);

        Assert.Equal("{'enabled': True, 'extra': ['test', 'stage'], 'index': 'foo', 'upstream': 'bar'}",
            PyText.Str(((Dictionary<string, object?>)group["nodes"]!)["host01"]));
    }

    [Fact]
    public async Task Get_ReadsTheFormulasDefaultsFile()
    {
        Assert.Equal("/bin/bash", await _harness.ReturnAsync("defaults.get", "core:users:root:shell"));
        Assert.Equal("{'a': {'b': 1}}", PyText.Str(await _harness.ReturnAsync("defaults.get", "jsononly")));
        Assert.Equal("fallback", await _harness.ReturnAsync("defaults.get", "core:users:nobody", "fallback"));
        Assert.Null(await _harness.ReturnAsync("defaults.get", "noformula"));
    }
}
