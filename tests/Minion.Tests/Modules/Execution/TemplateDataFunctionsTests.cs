using Orchestrator.Shared.Data;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

/// <summary>grains.filter_by, grains.get, pillar.get and config.get as formula templates call them.</summary>
public sealed class TemplateDataFunctionsTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin();

    public TemplateDataFunctionsTests()
    {
        _harness.Grains["os_family"] = "Debian";
        _harness.Grains["os"] = "Ubuntu";
        _harness.Grains["roles"] = new List<object?> { "web", "db" };
        _harness.Grains["nothing"] = null;
        _harness.Context.Pillar["apache"] = D(("lookup", D(("pkg", "apache2-custom"))), ("sites", L("a", "b")), ("nested", D(("l", L(2L, 3L)))));
        _harness.Context.Pillar["shared"] = "from-pillar";
        _harness.Context.Pillar["master"] = D(("shared", "from-master"), ("only_master", "m"));
        _harness.Grains["shared"] = "from-grains";
    }

    public void Dispose() => _harness.Dispose();

    private static Dictionary<string, object?> D(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static List<object?> L(params object?[] items) => [.. items];

    [Fact]
    public async Task FilterBy_DefaultGrainIsOsFamily() =>
        Assert.Equal("Debheads rule", await _harness.ReturnAsync("grains.filter_by", D(("Debian", "Debheads rule"), ("RedHat", "I love my hat"))));

    [Fact]
    public async Task FilterBy_MapJinjaPattern_MergesPillarLookupOverTheMatch()
    {
        var lookup = D(("Debian", D(("pkg", "apache2"), ("srv", "apache2"))), ("RedHat", D(("pkg", "httpd"))));
        var merge = await _harness.ReturnAsync("pillar.get", "apache:lookup");

        var result = await _harness.ReturnAsync("grains.filter_by", [lookup], Kw(("merge", merge), ("default", "RedHat")));

        Assert.Equal("{'pkg': 'apache2-custom', 'srv': 'apache2'}", PyText.Str(result));
    }

    [Fact]
    public async Task FilterBy_OtherGrainDefaultAndBase()
    {
        var lookup = D(("default", D(("a", 1L), ("b", 1L))), ("Ubuntu", D(("b", 2L))), ("db", "database"));

        Assert.Equal("{'a': 1, 'b': 2}", PyText.Str(await _harness.ReturnAsync("grains.filter_by", [lookup], Kw(("grain", "os"), ("base", "default")))));
        Assert.Equal("database", await _harness.ReturnAsync("grains.filter_by", [lookup], Kw(("grain", "roles"))));
        Assert.Equal("{'a': 1, 'b': 1}", PyText.Str(await _harness.ReturnAsync("grains.filter_by", [lookup], Kw(("grain", "missing")))));
    }

    [Fact]
    public async Task FilterBy_MergeNotADict_FailsWithSaltsMessage()
    {
        var result = await _harness.InvokeAsync("grains.filter_by", [D(("Debian", D()))], Kw(("merge", "text")));

        Assert.False(result.Success);
        Assert.True(result.Raised);
        Assert.Equal("filter_by merge argument must be a dictionary.", result.Return);
    }

    [Fact]
    public async Task GrainsGet_NoneValueIsReturnedNotTheDefault()
    {
        Assert.Null(await _harness.ReturnAsync("grains.get", "nothing", "fallback"));
        Assert.Equal("fallback", await _harness.ReturnAsync("grains.get", "absent", "fallback"));
        Assert.Equal("db", await _harness.ReturnAsync("grains.get", ["roles|1"], Kw(("delimiter", "|"))));
    }

    [Fact]
    public async Task PillarGet_DefaultsToEmptyStringAndKeepsAnExplicitNone()
    {
        Assert.Equal("", await _harness.ReturnAsync("pillar.get", "absent"));
        Assert.Null(await _harness.ReturnAsync("pillar.get", "absent", null));
    }

    [Fact]
    public async Task PillarGet_MergeDictDefaultUnderThePillarValue()
    {
        var defaults = D(("lookup", D(("pkg", "apache2"), ("srv", "apache2"))), ("port", 80L));

        var merged = await _harness.ReturnAsync("pillar.get", ["apache", defaults], Kw(("merge", true)));

        Assert.Equal("{'lookup': {'pkg': 'apache2-custom', 'srv': 'apache2'}, 'port': 80, 'sites': ['a', 'b'], 'nested': {'l': [2, 3]}}", PyText.Str(merged));
        Assert.Equal("{'pkg': 'apache2', 'srv': 'apache2'}", PyText.Str(defaults["lookup"]));
    }

    [Fact]
    public async Task PillarGet_MergeNestedLists()
    {
        var defaults = D(("l", L(1L, 2L)));

        Assert.Equal("{'l': [2, 3]}", PyText.Str(await _harness.ReturnAsync("pillar.get", ["apache:nested", defaults], Kw(("merge", true)))));
        Assert.Equal("{'l': [1, 2, 3]}", PyText.Str(await _harness.ReturnAsync("pillar.get", ["apache:nested", defaults],
            Kw(("merge", true), ("merge_nested_lists", true)))));
        Assert.Equal("['z', 'a', 'b']", PyText.Str(await _harness.ReturnAsync("pillar.get", ["apache:sites", L("z", "a")], Kw(("merge", true)))));
    }

    [Fact]
    public async Task PillarGet_MergeTypeMismatch_ReturnsThePillarValue() =>
        Assert.Equal("['a', 'b']", PyText.Str(await _harness.ReturnAsync("pillar.get", ["apache:sites", D()], Kw(("merge", true)))));

    [Fact]
    public async Task ConfigGet_GrainsBeforePillarBeforeMasterThenDefaults()
    {
        Assert.Equal("from-grains", await _harness.ReturnAsync("config.get", "shared"));
        Assert.Equal("from-pillar", await _harness.ReturnAsync("config.get", ["shared"], Kw(("omit_grains", true))));
        Assert.Equal("from-master", await _harness.ReturnAsync("config.get", ["shared"], Kw(("omit_grains", true), ("omit_pillar", true))));
        Assert.Equal("unconfigured", await _harness.ReturnAsync("config.get", "test.foo"));
        Assert.Null(await _harness.ReturnAsync("config.get", "absent", null));
    }

    [Fact]
    public async Task ConfigGet_MergeRecurse_PillarOverMaster() =>
        Assert.Equal("{'lookup': {'pkg': 'apache2-custom'}, 'sites': ['a', 'b'], 'nested': {'l': [2, 3]}}",
            PyText.Str(await _harness.ReturnAsync("config.get", ["apache"], Kw(("merge", "recurse")))));
}
