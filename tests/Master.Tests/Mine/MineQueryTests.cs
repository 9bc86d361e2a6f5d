using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Master.Mine;
using Orchestrator.Shared.Mine;
using Orchestrator.Shared.Targeting;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Mine;

public sealed class MineQueryTests : IDisposable
{
    private readonly TempDir _cache = new();
    private readonly MineStore _store;
    private readonly Dictionary<string, Dictionary<string, object?>> _grains = new(StringComparer.Ordinal)
    {
        ["web1"] = new(StringComparer.Ordinal) { ["roles"] = new List<object?> { "web" } },
        ["web2"] = new(StringComparer.Ordinal) { ["roles"] = new List<object?> { "web" } },
        ["db1"] = new(StringComparer.Ordinal) { ["roles"] = new List<object?> { "db" } },
    };

    public MineQueryTests()
    {
        _store = new MineStore(_cache.Path, MineOptions.DefaultMaxSize, NullLogger<MineStore>.Instance);
        _store.Update("web1", Map(("network.ip_addrs", new List<object?> { "10.0.0.1" }), ("test.ping", true)), false, out _);
        _store.Update("web2", Map(("network.ip_addrs", new List<object?> { "10.0.0.2" })), false, out _);
        _store.Update("db1", Map(("secret", MineAcl.Wrap("s3cr3t", "G@roles:web", "compound"))), false, out _);
    }

    public void Dispose() => _cache.Dispose();

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private MineQuery Query(MineOptions? options = null) => new(_store, options ?? new MineOptions(), Select, NullLogger<MineQuery>.Instance);

    private IReadOnlyList<string> Select(string target, string type) =>
        TargetMatcher.ExpectedMinions(target, TargetTypeExtensions.ParseTargetType(type), _grains.Select(g => new MinionFacts(g.Key, g.Value)));

    [Fact]
    public void Get_Glob_ReturnsMinionsThatHaveTheFunction()
    {
        var result = Query().Get("db1", "*", "glob", ["network.ip_addrs"], byFunction: false);

        Assert.Equal(Map(("web1", new List<object?> { "10.0.0.1" }), ("web2", new List<object?> { "10.0.0.2" })), result);
    }

    [Fact]
    public void Get_Grain_UsesTheMastersGrains()
    {
        var result = Query().Get("db1", "roles:web", "grain", ["test.ping"], byFunction: false);

        Assert.Equal(Map(("web1", true)), result);
    }

    [Fact]
    public void Get_SeveralFunctions_NestsByFunction()
    {
        var result = Query().Get("db1", "web*", "glob", ["network.ip_addrs", "test.ping"], byFunction: true);

        Assert.Equal(["network.ip_addrs", "test.ping"], result.Keys.Order());
        Assert.Equal(Map(("web1", true)), result["test.ping"]);
    }

    [Fact]
    public void Get_AllowTgt_GrantsOnlyTheMinionsItSelects()
    {
        Assert.Equal(Map(("db1", "s3cr3t")), Query().Get("web2", "db1", "glob", ["secret"], false));
        Assert.Empty(Query().Get("db1", "db1", "glob", ["secret"], false));
    }

    [Fact]
    public void Get_AllowTgtMatchingNobody_DeniesEveryone()
    {
        _store.Update("web2", Map(("locked", MineAcl.Wrap(1L, "nomatch*", null))), false, out _);

        Assert.Empty(Query().Get("web1", "web2", "glob", ["locked"], false));
    }

    [Fact]
    public void Get_MasterAcl_FiltersFunctionsByRequester()
    {
        var options = new MineOptions { GetAcl = new(StringComparer.Ordinal) { ["db.*"] = ["network\\..*"] } };

        Assert.Equal(2, Query(options).Get("db1", "*", "glob", ["network.ip_addrs"], false).Count);
        Assert.Empty(Query(options).Get("db1", "*", "glob", ["test.ping"], false));
        Assert.Empty(Query(options).Get("web1", "*", "glob", ["network.ip_addrs"], false));
    }

    [Fact]
    public void Get_InvalidTarget_Throws()
    {
        Assert.Throws<TargetException>(() => Query().Get("db1", "roles", "grain", ["test.ping"], false));
    }

    [Theory]
    [InlineData("a", false, new[] { "a" })]
    [InlineData("a,b,a", true, new[] { "a", "b" })]
    public void FunctionList_ParsesSaltsForms(string fun, bool nested, string[] names)
    {
        var (functions, byFunction) = MineFunctionList.Parse(fun);

        Assert.Equal(names, functions);
        Assert.Equal(nested, byFunction);
        Assert.True(MineFunctionList.Parse(new List<object?> { "a" }).ByFunction);
    }
}
