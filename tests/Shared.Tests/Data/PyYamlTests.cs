using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Tests.Data;

public sealed class PyYamlTests
{
    private static readonly Dictionary<string, object?> Data = new(StringComparer.Ordinal)
    {
        ["b"] = new List<object?> { 1L, 2L },
        ["a"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x"] = "y" },
        ["c"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["l"] = new List<object?> { "z" } },
    };

    [Fact]
    public void Dump_DefaultFlowStyleNone_FlowForCollectionsOfScalarsOnly() =>
        Assert.Equal("a: {x: y}\nb: [1, 2]\nc:\n  l: [z]", PyYaml.Dump(Data));

    [Fact]
    public void Dump_BlockStyle() => Assert.Equal("a:\n  x: y\nb:\n- 1\n- 2\nc:\n  l:\n  - z", PyYaml.Dump(Data, false));

    [Fact]
    public void Dump_FlowStyle() => Assert.Equal("{a: {x: y}, b: [1, 2], c: {l: [z]}}", PyYaml.Dump(Data, true));

    [Fact]
    public void Load_ReadsYaml11Scalars() =>
        Assert.Equal("{'a': True, 'b': 493}", PyText.Str(PyYaml.Load("a: yes\nb: 0755\n")));
}
