using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Tests.Data;

public sealed class SaltDataTests
{
    private static Dictionary<string, object?> D(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static readonly Dictionary<string, object?> Grains = D(
        ("os_family", "Debian"),
        ("roles", new List<object?> { "web", "db" }),
        ("nothing", null),
        ("ifaces", new List<object?> { D(("name", "eth0")), D(("mtu", 1500L)) }),
        ("num", 3L));

    [Fact]
    public void Traverse_NestedListsAndEmbeddedDicts()
    {
        Assert.Equal("db", SaltData.Traverse(Grains, "roles:1"));
        Assert.Equal(1500L, SaltData.Traverse(Grains, "ifaces:mtu"));
        Assert.Equal("x", SaltData.Traverse(Grains, "roles:7", "x"));
        Assert.Equal("db", SaltData.Traverse(Grains, "roles|-1", delimiter: "|"));
    }

    [Fact]
    public void Traverse_PresentNone_IsNoneNotDefault() =>
        Assert.Null(SaltData.Traverse(Grains, "nothing", "default"));

    [Fact]
    public void FilterBy_PicksByGrain()
    {
        var lookup = D(("Debian", "Debheads rule"), ("RedHat", "I love my hat"));

        Assert.Equal("Debheads rule", SaltData.FilterBy(lookup, "os_family", Grains));
    }

    [Fact]
    public void FilterBy_ListGrain_FirstValueThatMatchesAnyKey() =>
        Assert.Equal("web-conf", SaltData.FilterBy(D(("d*", "db-conf"), ("web", "web-conf")), "roles", Grains));

    [Fact]
    public void FilterBy_GlobKeysAndNonStringGrain() =>
        Assert.Equal("three", SaltData.FilterBy(D(("[0-2]", "low"), ("3", "three")), "num", Grains));

    [Fact]
    public void FilterBy_MissingGrain_DefaultThenMerge()
    {
        // Salt's documented example: grains.filter_by '{A: B, C: {D: {E: F, G: H}}}' 'xxx' '{D: {E: I, J: K}}' 'C'
        var lookup = D(("A", "B"), ("C", D(("D", D(("E", "F"), ("G", "H")))))) ;

        var ret = SaltData.FilterBy(lookup, "xxx", Grains, D(("D", D(("E", "I"), ("J", "K")))), "C");

        Assert.Equal("{'D': {'E': 'I', 'G': 'H', 'J': 'K'}}", PyText.Str(ret));
        // The merge lands in the chosen entry itself, as in Salt.
        Assert.Same(lookup["C"], ret);
    }

    [Fact]
    public void FilterBy_BaseMergedUnderTheMatch()
    {
        // Salt's documented example with base: '{default: {A: {B: C}, D: E}, F: {A: {B: G}}, H: {D: I}}' 'xxx' '{D: J}' 'F' 'default'
        var lookup = D(("default", D(("A", D(("B", "C"))), ("D", "E"))), ("F", D(("A", D(("B", "G"))))), ("H", D(("D", "I"))));

        Assert.Equal("{'A': {'B': 'G'}, 'D': 'J'}", PyText.Str(SaltData.FilterBy(lookup, "xxx", Grains, D(("D", "J")), "F", "default")));
        Assert.Equal("{'A': {'B': 'C'}, 'D': 'J'}", PyText.Str(SaltData.FilterBy(lookup, "xxx", Grains, D(("D", "J")), "H", "default")));
    }

    [Fact]
    public void FilterBy_NoMatchNoDefault_IsNone() =>
        Assert.Null(SaltData.FilterBy(D(("RedHat", 1L)), "os_family", Grains));

    [Fact]
    public void FilterBy_MergeNotADict_Throws() =>
        Assert.Throws<ArgumentException>(() => SaltData.FilterBy(D(("Debian", D())), "os_family", Grains, "oops"));
}
