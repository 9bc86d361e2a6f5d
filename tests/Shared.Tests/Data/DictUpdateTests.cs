using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Tests.Data;

public sealed class DictUpdateTests
{
    private static Dictionary<string, object?> D(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static List<object?> L(params object?[] items) => [.. items];

    [Fact]
    public void Update_MergesNestedMappingsInPlace()
    {
        var dest = D(("a", D(("x", 1L), ("y", 2L))), ("keep", "k"));

        var result = DictUpdate.Update(dest, D(("a", D(("y", 3L), ("z", 4L)))));

        Assert.Same(dest, result);
        Assert.Equal("{'a': {'x': 1, 'y': 3, 'z': 4}, 'keep': 'k'}", PyText.Str(dest));
    }

    [Fact]
    public void Update_ListsReplacedUnlessMergeLists()
    {
        Assert.Equal("{'l': [2, 3]}", PyText.Str(DictUpdate.Update(D(("l", L(1L, 2L))), D(("l", L(2L, 3L))))));
        Assert.Equal("{'l': [1, 2, 3]}", PyText.Str(DictUpdate.Update(D(("l", L(1L, 2L))), D(("l", L(2L, 3L))), mergeLists: true)));
    }

    [Fact]
    public void Update_NonDict_Throws() =>
        Assert.Throws<ArgumentException>(() => DictUpdate.Update("text", D()));

    [Fact]
    public void Merge_Smart_IsRecurseAndLeavesTheFirstAlone()
    {
        var a = D(("foo", D(("x", 1L))));

        var merged = DictUpdate.Merge(a, D(("foo", D(("y", 2L))), ("bar", "Bar")));

        Assert.Equal("{'foo': {'x': 1, 'y': 2}, 'bar': 'Bar'}", PyText.Str(merged));
        Assert.Equal("{'foo': {'x': 1}}", PyText.Str(a));
    }

    [Fact]
    public void Merge_Overwrite_ReplacesTopLevelKeysWhole()
    {
        var merged = DictUpdate.Merge(D(("foo", D(("x", 1L))), ("a", 1L)), D(("foo", D(("y", 2L)))), "overwrite");

        Assert.Equal("{'foo': {'y': 2}, 'a': 1}", PyText.Str(merged));
    }

    [Fact]
    public void Merge_List_PairsCommonKeysAndDropsNewOnes() =>
        Assert.Equal("{'a': [1, 2], 'b': 3}", PyText.Str(DictUpdate.Merge(D(("a", 1L), ("b", 3L)), D(("a", 2L), ("c", 4L)), "list")));

    [Fact]
    public void Merge_Aggregate_TopLevelUpdateAndListUnion()
    {
        Assert.Equal("{'a': {'y': 2}, 'b': 1}", PyText.Str(DictUpdate.Merge(D(("a", D(("x", 1L))), ("b", 1L)), D(("a", D(("y", 2L)))), "aggregate")));
        Assert.Equal("[1, 2, 3]", PyText.Str(DictUpdate.Merge(L(1L, 2L), L(2L, 3L), "aggregate")));
        Assert.Equal("{'a': 1}", PyText.Str(DictUpdate.Merge(D(("a", 0L)), D(("a", 1L)), "smart", "jinja|yamlex")));
    }

    [Fact]
    public void Merge_UnknownStrategy_FallsBackToRecurse() =>
        Assert.Equal("{'a': {'x': 1, 'y': 2}}", PyText.Str(DictUpdate.Merge(D(("a", D(("x", 1L)))), D(("a", D(("y", 2L)))), "nonsense")));

    [Fact]
    public void DeepCopy_CopiesContainersOnly()
    {
        var inner = L(1L);
        var source = D(("l", inner));

        var copy = (Dictionary<string, object?>)DictUpdate.DeepCopy(source)!;
        inner.Add(2L);

        Assert.Equal("{'l': [1]}", PyText.Str(copy));
    }

    [Fact]
    public void PyEquals_IntEqualsFloatAndContainersByContent()
    {
        Assert.True(DictUpdate.PyEquals(1L, 1.0));
        Assert.True(DictUpdate.PyEquals(D(("a", L(1L))), D(("a", L(1L)))));
        Assert.False(DictUpdate.PyEquals("1", 1L));
    }
}
