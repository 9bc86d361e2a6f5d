using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Tests.Output;

public class YamlOutputterTests
{
    private static readonly YamlOutputter _yaml = new();

    private static string Yaml(object? data) => _yaml.Format(data, OutputOptions.Default with { Static = true });

    [Fact]
    public void Yaml_MixedData_MatchesPyYamlBlockStyle()
    {
        const string expected = "web1:\n  a: 'x\n\n    y'\n  b: []\n  c: {}\n  d: null\n  e: false\n  f: 1\n  g: 1.5\n  h:\n  - p\n  - q: 1\n    r:\n    - 1\n    - 2\n  - - r\n    - s\n  - []\n  - {}\n  i: ''\n  z_last:\n    k:\n      deep: true";
        Assert.Equal(expected, Yaml(Samples.Mixed()));
    }

    [Fact]
    public void Yaml_Strings_QuotedLikePyYaml()
    {
        var data = Samples.Map(("s", Samples.Seq(
            "yes", "No", "1.0", "123", "", "a: b", "a:b", "- x", "-x", "#c", "x #y", "x#y", " lead", "trail ", "tab\there", "it's",
            "2024-01-01", "null", "~", "on", "0x1F", "é ü", "*star", "&amp", "!bang", "%pct", "@at", "`bt", "{a}", "[a]", "a,b", "a[b]",
            "?q", "? q", "line1\nline2\n", "cr\rhere", "<<", "=", "1e5", ".5", "+1", "---x", "...", "snow☃", "emoji\ud83d\ude00", "bell\u0007")));
        const string expected = "s:\n- 'yes'\n- 'No'\n- '1.0'\n- '123'\n- ''\n- 'a: b'\n- a:b\n- '- x'\n- -x\n- '#c'\n- 'x #y'\n- x#y\n- ' lead'\n- 'trail '\n- \"tab\\there\"\n- it's\n- '2024-01-01'\n- 'null'\n- '~'\n- 'on'\n- '0x1F'\n- é ü\n- '*star'\n- '&amp'\n- '!bang'\n- '%pct'\n- '@at'\n- '`bt'\n- '{a}'\n- '[a]'\n- a,b\n- a[b]\n- ?q\n- '? q'\n- 'line1\n\n  line2\n\n  '\n- \"cr\\rhere\"\n- '<<'\n- '='\n- 1e5\n- '.5'\n- '+1'\n- '---x'\n- '...'\n- snow☃\n- emoji\ud83d\ude00\n- \"bell\\a\"";
        Assert.Equal(expected, Yaml(data));
    }

    [Fact]
    public void Yaml_LongStrings_FoldAtEightyColumns()
    {
        var data = Samples.Map(
            ("msg", "The quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column limit of PyYAML here."),
            ("quoted", "It's a long single quoted string that should be folded by PyYAML because it goes beyond eighty columns wide."),
            ("dq", "tab\tseparated value that is rather long so that the double quoted style must fold it somewhere after eighty"));
        const string expected = "dq: \"tab\\tseparated value that is rather long so that the double quoted style must\\\n  \\ fold it somewhere after eighty\"\nmsg: The quick brown fox jumps over the lazy dog and keeps running far beyond the\n  eighty column limit of PyYAML here.\nquoted: It's a long single quoted string that should be folded by PyYAML because it\n  goes beyond eighty columns wide.";
        Assert.Equal(expected, Yaml(data));
    }

    [Fact]
    public void Yaml_DoubleQuotedAstralCharacters_EscapeAndFold()
    {
        var data = Samples.Map(("k", "tab\there and then a very long run of text with emoji \ud83d\ude00 \ud83d\ude00 \ud83d\ude00 so that the fold lands \ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00 near them ok"));
        const string expected = "k: \"tab\\there and then a very long run of text with emoji \\U0001F600 \\U0001F600 \\U0001F600\\\n  \\ so that the fold lands \\U0001F600\\U0001F600\\U0001F600\\U0001F600 near them ok\"";
        Assert.Equal(expected, Yaml(data));
    }

    [Fact]
    public void Yaml_LongKey_BecomesComplexKey()
    {
        var data = Samples.Map(("k" + new string('k', 121), 1L), (new string('j', 123), 2L));
        Assert.Equal($"? {new string('j', 123)}\n: 2\n{new string('k', 122)}: 1", Yaml(data));
    }

    [Fact]
    public void Yaml_SortsKeysByCodePoint()
    {
        Assert.Equal("\"\\uFEFF\": 1\n\ud83d\ude00: 2", Yaml(Samples.Map(("\ud83d\ude00", 2L), ("\uFEFF", 1L))));
    }

    [Fact]
    public void Yaml_KeysAndNumbers_MatchPyYaml()
    {
        var data = Samples.Map(
            ("1", "one"), ("true", "yes"), ("", "empty"), ("a b", "c"), ("multi\nline", "x"),
            ("z", -0.0), ("inf", double.PositiveInfinity), ("big", 1e16), ("small", 1e-05), ("neg", -3L));
        const string expected = "? ''\n: empty\n'1': one\na b: c\nbig: 1.0e+16\ninf: .inf\n? 'multi\n\n  line'\n: x\nneg: -3\nsmall: 1.0e-05\n'true': 'yes'\nz: -0.0";
        Assert.Equal(expected, Yaml(data));
    }

    [Fact]
    public void Yaml_NestedSequences_IndentLikePyYaml()
    {
        var data = Samples.Seq(Samples.Seq(1L, Samples.Seq(2L, 3L)), Samples.Map(("a", Samples.Seq(Samples.Map(("b", 1L))))));
        Assert.Equal("- - 1\n  - - 2\n    - 3\n- a:\n  - b: 1", Yaml(data));
    }

    [Theory]
    [InlineData("abc", "abc\n...")]
    [InlineData(5L, "5\n...")]
    [InlineData("yes", "'yes'")]
    [InlineData(null, "null\n...")]
    public void Yaml_RootScalar_EndsDocumentLikePyYaml(object? data, string expected)
    {
        Assert.Equal(expected, Yaml(data));
    }

    [Fact]
    public void Yaml_EmptyCollections_UseFlowStyle()
    {
        Assert.Equal("{}", Yaml(Samples.Map()));
        Assert.Equal("[]", Yaml(Samples.Seq()));
    }

    [Fact]
    public void Yaml_NotStatic_PrintsOneDocumentPerMinion()
    {
        Assert.Equal("web2: true\nweb1: false", _yaml.Format(Samples.TwoMinions(), OutputOptions.Default));
        Assert.Equal("web1: false\nweb2: true", _yaml.Format(Samples.TwoMinions(), OutputOptions.Default with { Static = true }));
    }

    [Fact]
    public void Yaml_Indent_ChangesNestedMappingIndent()
    {
        var data = Samples.Map(("web1", Samples.Map(("a", Samples.Map(("b", 1L))))));
        Assert.Equal("web1:\n    a:\n        b: 1", _yaml.Format(data, OutputOptions.Default with { Indent = 4 }));
    }
}
