using Orchestrator.Minion.StateEngine.Local;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class SlsutilModuleTests : IDisposable
{
    private readonly TempDir _roots = new();
    private readonly ModuleHarness _harness;

    public SlsutilModuleTests()
    {
        Directory.CreateDirectory(_roots.Combine("web", "files"));
        File.WriteAllText(_roots.Combine("web", "map.sls"), "port: {{ 80 + 1 }}\nos: {{ grains['os'] }}\n");
        _harness = Builtin(files: new LocalFileClient(new Dictionary<string, IReadOnlyList<string>> { ["base"] = [_roots.Path] }));
        _harness.Grains["os"] = "Debian";
    }

    public void Dispose()
    {
        _harness.Dispose();
        _roots.Dispose();
    }

    private static Dictionary<string, object?> D(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public async Task Merge_DocExample() =>
        Assert.Equal("{'foo': 'Foo', 'bar': 'Bar'}", PyText.Str(await _harness.ReturnAsync("slsutil.merge", D(("foo", "Foo")), D(("bar", "Bar")))));

    [Fact]
    public async Task Merge_Strategies()
    {
        var a = D(("k", D(("x", 1L))));
        var b = D(("k", D(("y", 2L))));

        Assert.Equal("{'k': {'x': 1, 'y': 2}}", PyText.Str(await _harness.ReturnAsync("slsutil.merge", [a, b], Kw(("strategy", "recurse")))));
        Assert.Equal("{'k': {'y': 2}}", PyText.Str(await _harness.ReturnAsync("slsutil.merge", [a, b], Kw(("strategy", "aggregate")))));
        Assert.Equal("{'k': [{'x': 1}, {'y': 2}]}", PyText.Str(await _harness.ReturnAsync("slsutil.merge", [a, b], Kw(("strategy", "list")))));
        Assert.Equal("{'k': {'y': 2}}", PyText.Str(await _harness.ReturnAsync("slsutil.merge", [a, b], Kw(("strategy", "overwrite")))));
    }

    [Fact]
    public async Task MergeAll_DocExample() =>
        Assert.Equal("{'foo': 'Bar'}", PyText.Str(await _harness.ReturnAsync("slsutil.merge_all", new List<object?> { D(("foo", "Foo")), D(("foo", "Bar")) })));

    [Fact]
    public async Task Update_InPlace()
    {
        var dest = D(("foo", "Foo"));

        await _harness.ReturnAsync("slsutil.update", dest, D(("bar", "Bar")));

        Assert.Equal("{'foo': 'Foo', 'bar': 'Bar'}", PyText.Str(dest));
    }

    [Fact]
    public async Task Serialize_JsonAsSaltPrintsIt()
    {
        Assert.Equal("{\"foo\": \"Foo!\"}", await _harness.ReturnAsync("slsutil.serialize", "json", D(("foo", "Foo!"))));
        Assert.Equal("{\"é\": [1, 2]}", await _harness.ReturnAsync("slsutil.serialize", "json", D(("é", new List<object?> { 1L, 2L }))));
        Assert.Equal("{\n  \"a\": 1\n}", await _harness.ReturnAsync("slsutil.serialize", ["json", D(("a", 1L))], Kw(("indent", 2L))));
    }

    [Fact]
    public async Task Serialize_YamlFlowStyles()
    {
        var map = D(("values", D(("b", new List<object?> { "x" }), ("a", "é"))));

        Assert.Equal("values:\n  a: é\n  b: [x]", await _harness.ReturnAsync("slsutil.serialize", ["yaml", map], Kw(("allow_unicode", true))));
        Assert.Equal("values:\n  a: é\n  b:\n  - x",
            await _harness.ReturnAsync("slsutil.serialize", ["yaml", map], Kw(("default_flow_style", false), ("allow_unicode", true))));
    }

    [Fact]
    public async Task Serialize_UnknownSerializer_Fails()
    {
        var result = await _harness.InvokeAsync("slsutil.serialize", "nosuch", D());

        Assert.False(result.Success);
        Assert.Equal("Serializer 'nosuch' not found.", result.Return);
    }

    [Fact]
    public async Task Deserialize_JsonAndYaml()
    {
        Assert.Equal("{'foo': 'Foo!'}", PyText.Str(await _harness.ReturnAsync("slsutil.deserialize", "json", "{\"foo\": \"Foo!\"}")));
        Assert.Equal("{'a': [1, True]}", PyText.Str(await _harness.ReturnAsync("slsutil.deserialize", "yaml", "a: [1, yes]")));
    }

    [Fact]
    public async Task Banner_DefaultIsSaltsBlock()
    {
        var expected = string.Join("\n",
            "########################################################################",
            "#                                                                      #",
            "#              THIS FILE IS MANAGED BY SALT - DO NOT EDIT              #",
            "#                                                                      #",
            "# The contents of this file are managed by Salt. Any changes to this   #",
            "# file may be overwritten automatically and without warning.           #",
            "########################################################################");

        Assert.Equal(expected, await _harness.ReturnAsync("slsutil.banner"));
    }

    [Fact]
    public async Task Banner_JavadocStyle()
    {
        var text = (string)(await _harness.ReturnAsync("slsutil.banner", [],
            Kw(("commentchar", " *"), ("borderchar", "*"), ("blockstart", "/**"), ("blockend", " */"))))!;
        var lines = text.Split('\n');

        Assert.Equal("/**", lines[0]);
        Assert.Equal(" " + new string('*', 71), lines[1]);
        Assert.Equal(" *              THIS FILE IS MANAGED BY SALT - DO NOT EDIT             *", lines[3]);
        Assert.Equal(" */", lines[^1]);
    }

    [Fact]
    public async Task Boolstr()
    {
        Assert.Equal("yes", await _harness.ReturnAsync("slsutil.boolstr", true, "yes", "no"));
        Assert.Equal("false", await _harness.ReturnAsync("slsutil.boolstr", ""));
    }

    [Fact]
    public async Task Renderer_StringAndFile()
    {
        Assert.Equal("Hello, world.", await _harness.ReturnAsync("slsutil.renderer", [],
            Kw(("string", "Hello, {{ name }}."), ("name", "world"), ("default_renderer", "jinja"))));
        Assert.Equal("{'port': 81, 'os': 'Debian'}", PyText.Str(await _harness.ReturnAsync("slsutil.renderer", "salt://web/map.sls")));
    }

    [Fact]
    public async Task Renderer_NeitherPathNorString_Fails() =>
        Assert.Equal("Must pass either path or string", (await _harness.InvokeAsync("slsutil.renderer")).Return);

    [Fact]
    public async Task FileAndDirExistInTheStateTree()
    {
        Assert.Equal(true, await _harness.ReturnAsync("slsutil.file_exists", "web/map.sls"));
        Assert.Equal(true, await _harness.ReturnAsync("slsutil.dir_exists", "web/files"));
        Assert.Equal(false, await _harness.ReturnAsync("slsutil.path_exists", "web/nope"));
    }
}
