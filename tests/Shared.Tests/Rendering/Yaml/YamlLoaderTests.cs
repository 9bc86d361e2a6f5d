using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;

namespace Orchestrator.Shared.Tests.Rendering.Yaml;

public class YamlLoaderTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("No", false)]
    [InlineData("on", true)]
    [InlineData("OFF", false)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    public void Load_Yaml11Booleans_AreBooleans(string text, bool expected)
    {
        Assert.Equal(expected, YamlLoader.Load("v: " + text) is Dictionary<string, object?> d ? d["v"] : null);
    }

    [Theory]
    [InlineData("0755", 755L)]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("0x1f", 31L)]
    [InlineData("0b101", 5L)]
    [InlineData("1_000", 1000L)]
    [InlineData("0", 0L)]
    [InlineData("000", 0L)]
    public void Load_Integers_FollowSaltLoader(string text, long expected)
    {
        Assert.Equal(expected, Value(text));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-2.25", -2.25)]
    [InlineData("1.0e+3", 1000.0)]
    [InlineData(".5", 0.5)]
    public void Load_Floats_AreDoubles(string text, double expected)
    {
        Assert.Equal(expected, Value(text));
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("")]
    public void Load_NullForms_AreNull(string text)
    {
        Assert.Null(Value(text));
    }

    [Theory]
    [InlineData("'yes'", "yes")]
    [InlineData("\"0755\"", "0755")]
    [InlineData("'~'", "~")]
    [InlineData("2024-01-02", "2024-01-02")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("!!str 12", "12")]
    public void Load_QuotedAndOtherScalars_StayStrings(string text, string expected)
    {
        Assert.Equal(expected, Value(text));
    }

    [Fact]
    public void Load_Mapping_KeepsDefinitionOrder()
    {
        var data = Assert.IsType<Dictionary<string, object?>>(YamlLoader.Load("zeta: 1\nalpha: 2\nmid: 3\n"));
        Assert.Equal(["zeta", "alpha", "mid"], data.Keys);
    }

    [Fact]
    public void Load_DuplicateKey_NamesTheMappingAndTheKeyAsSalt()
    {
        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load("x: 0\nm:\n  a: 1\n  b: 2\n  a: 3\n", "web/init.sls"));
        Assert.Equal(5, e.Line);
        Assert.Equal(3, e.Column);
        Assert.Equal("web/init.sls", e.Path);
        // Salt's (PyYAML's) text: the mapping's position, then the repeated key's.
        Assert.Equal(
            "while constructing a mapping\n  in \"<unicode string>\", line 3, column 3\nfound conflicting ID 'a'\n  in \"<unicode string>\", line 5, column 3",
            e.Message);
    }

    [Fact]
    public void Load_SyntaxError_NamesPosition()
    {
        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load("a:\n  - b\n c: [\n", "x.sls"));
        Assert.True(e.Line >= 2);
        Assert.Contains("x.sls", e.Message);
    }

    [Fact]
    public void Load_AnchorsAndMergeKeys_Resolve()
    {
        var data = (Dictionary<string, object?>)YamlLoader.Load("base: &b\n  x: 1\n  y: 2\nother:\n  <<: *b\n  y: 3\n")!;
        var other = (Dictionary<string, object?>)data["other"]!;
        Assert.Equal(1L, other["x"]);
        Assert.Equal(3L, other["y"]);
    }

    [Fact]
    public void Load_Empty_IsNull()
    {
        Assert.Null(YamlLoader.Load(""));
        Assert.Null(YamlLoader.Load("# only a comment\n"));
    }

    [Fact]
    public void Load_NestedSls_ProducesListsAndMaps()
    {
        var data = (Dictionary<string, object?>)YamlLoader.Load("id:\n  file.managed:\n    - name: /tmp/x\n    - mode: 0644\n")!;
        var args = (List<object?>)((Dictionary<string, object?>)data["id"]!)["file.managed"]!;
        Assert.Equal(644L, ((Dictionary<string, object?>)args[1]!)["mode"]);
    }

    [Fact]
    public void Load_TwoDocuments_IsError()
    {
        Assert.Throws<YamlLoadException>(() => YamlLoader.Load("a: 1\n---\nb: 2\n"));
    }

    private static object? Value(string text) => ((Dictionary<string, object?>)YamlLoader.Load("v: " + text)!)["v"];
}
