using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;

namespace Orchestrator.Shared.Tests.Rendering.Yaml;

/// <summary>Flow collections continued at any indentation load as PyYAML loads them (what PyYAML's own emitter writes).</summary>
public sealed class FlowIndentationTests
{
    [Theory]
    [InlineData("map: {x: 1, y: 2,\nz: 3}\n")]
    [InlineData("a:\n  - b:\n      map: {x: 1, y: [a,\n    b], z: 3}\n")]
    [InlineData("a:\n  - b:\n      map: {x: 1, y: {\n    z: 3}}\n")]
    public void ContinuationLinesAtAnyIndentation_Load(string text)
    {
        var value = YamlLoader.Load(text);
        Assert.Contains("3", DataTree.ToJson(value), StringComparison.Ordinal);
    }

    [Fact]
    public void PyYamlsFlowDump_UnderAKey_LoadsToTheSameValue()
    {
        const string text = """
            state:
              file.managed:
                - context:
                    map: {values: {arch: amd64, config: /etc/x.conf,
                lookup: {master: m}, sources: ['Y:G@osarch', 'Y:G@os_family',
                    'C@X:lookup'], name: 'it''s, {not} a [flow]'}}
            """;
        var loaded = (Dictionary<string, object?>)YamlLoader.Load(text)!;
        var args = (List<object?>)((Dictionary<string, object?>)loaded["state"]!)["file.managed"]!;
        var values = (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)args[0]!)["context"]!)["map"]!)["values"]!;
        Assert.Equal("/etc/x.conf", values["config"]);
        Assert.Equal(new List<object?> { "Y:G@osarch", "Y:G@os_family", "C@X:lookup" }, values["sources"]);
        Assert.Equal("it's, {not} a [flow]", values["name"]);
        Assert.Equal("m", ((Dictionary<string, object?>)values["lookup"]!)["master"]);
    }

    [Fact]
    public void BlockScalarsAndCommentsAreLeftAlone()
    {
        const string text = "a: |\n  {not: flow\nb: [1, # a comment with {\n2]\n";
        var normalized = FlowIndentation.Normalize(text);
        Assert.NotNull(normalized);
        Assert.Contains("a: |\n  {not: flow\n", normalized, StringComparison.Ordinal);
        var loaded = (Dictionary<string, object?>)YamlLoader.Load(text)!;
        Assert.Equal("{not: flow\n", loaded["a"]);
        Assert.Equal(new List<object?> { 1L, 2L }, loaded["b"]);
    }

    [Fact]
    public void TextWithNothingToReindent_IsNotChanged_AndItsOwnErrorIsReported()
    {
        Assert.Null(FlowIndentation.Normalize("a: {x: 1}\nb: [1, 2]\n"));
        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load("a: {x: 1\nb: 2\n", "bad.sls"));
        Assert.Contains("bad.sls", e.Message, StringComparison.Ordinal);
    }
}
