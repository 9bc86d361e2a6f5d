using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Tests.Data;

public class SaltDataRenderTests
{
    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static readonly Dictionary<string, object?> _grains = Map(("os_family", "Debian"), ("os", "Debian"), ("roles", new List<object?> { "web", "db" }));

    [Fact]
    public void FilterBy_GlobKeyOfTheGrain_MergedOverBaseThenMerge()
    {
        var lookup = Map(
            ("default", Map(("pkg", "x"))),
            ("Deb*", Map(("pkg", "apache2"), ("conf", Map(("a", 1L))))),
            ("RedHat", Map(("pkg", "httpd"))));
        lookup["base"] = Map(("conf", Map(("b", 2L))), ("user", "www"));

        var result = (IDictionary<string, object?>)SaltData.FilterBy(lookup, "os_family", _grains, Map(("user", "root")), "default", "base")!;

        Assert.Equal("apache2", result["pkg"]);
        Assert.Equal("root", result["user"]);
        Assert.Equal(Map(("b", 2L), ("a", 1L)), (IDictionary<string, object?>)result["conf"]!);
    }

    [Fact]
    public void FilterBy_ListGrain_FirstItemMatching_ElseDefault_ElseNull()
    {
        var lookup = Map(("db", "database"), ("default", "none-matched"));

        Assert.Equal("database", SaltData.FilterBy(lookup, "roles", _grains));
        Assert.Equal("none-matched", SaltData.FilterBy(lookup, "missing", _grains));
        Assert.Null(SaltData.FilterBy(Map(("x", 1L)), "os", _grains));
    }

    [Fact]
    public void FilterBy_MergeNotAMapping_FailsAsSalt()
    {
        var e = Assert.Throws<ArgumentException>(() => SaltData.FilterBy(Map(("Debian", Map())), "os", _grains, "oops"));

        Assert.Equal("filter_by merge argument must be a dictionary.", e.Message);
    }

    [Fact]
    public void Update_Recursive_ListsReplacedOrMerged()
    {
        var dest = Map(("a", Map(("x", 1L), ("l", new List<object?> { 1L }))), ("b", 1L));

        DictUpdate.Update(dest, Map(("a", Map(("y", 2L), ("l", new List<object?> { 1L, 2L })))), mergeLists: true);

        var a = (IDictionary<string, object?>)dest["a"]!;
        Assert.Equal(1L, a["x"]);
        Assert.Equal(2L, a["y"]);
        Assert.Equal(new List<object?> { 1L, 2L }, a["l"]);
        Assert.Equal(1L, dest["b"]);
    }
}
