using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;

namespace Orchestrator.Shared.Tests.Rendering.Yaml;

/// <summary>Inputs the fuzz suite (tests/Fuzz.Tests) found, minimized: each once broke the loader.</summary>
public class YamlLoaderFuzzRegressionTests
{
    [Theory]
    [InlineData("&a {: *a}", 1, 7)]
    [InlineData("a: &a\n  - *a\n", 2, 5)]
    [InlineData("a: &a [1, [2, *a]]\n", 1, 15)]
    public void Load_AliasInsideItsOwnAnchor_IsRefusedNotACycle(string text, long line, long column)
    {
        // Was: the mapping or list contained itself, and serializing it (pillar to MessagePack, JSON output) never ended.
        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load(text, "pillar/x.sls"));

        Assert.StartsWith("found recursive alias 'a'", e.Problem, StringComparison.Ordinal);
        Assert.Equal(("pillar/x.sls", line, column), (e.Path, e.Line, e.Column));
    }

    [Fact]
    public void Load_AliasAfterItsAnchor_StillShares()
    {
        var data = (Dictionary<string, object?>)YamlLoader.Load("a: &a [1]\nb: [*a, *a]\nc: &c {k: *a}\nd: *c\n")!;

        var b = (List<object?>)data["b"]!;
        Assert.Equal(2, b.Count);
        Assert.Same(data["a"], b[0]);
        Assert.Same(data["a"], b[1]);
        Assert.Same(data["c"], data["d"]);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public void Load_DeepNesting_IsRefusedBeforeTheStackOverflows(string open, string close)
    {
        // Was: 20,000 levels overflowed the stack and ended the process (a pillar or reactor file could stop the master).
        var text = string.Concat(Enumerable.Repeat(open, 20_000)) + string.Concat(Enumerable.Repeat(close, 20_000));

        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load(text, "deep.sls"));

        Assert.Equal($"collections nested deeper than {YamlLoader.MaxDepth} levels", e.Problem);
        Assert.Equal(("deep.sls", 1L), (e.Path, e.Line));
    }

    [Fact]
    public void Load_NestingAtTheLimit_Loads()
    {
        var depth = YamlLoader.MaxDepth;
        var value = YamlLoader.Load(new string('[', depth) + new string(']', depth));

        for (var i = 1; i < depth; i++)
        {
            value = Assert.Single((List<object?>)value!);
        }
        Assert.Empty((List<object?>)value!);
    }

    [Fact]
    public void Load_AliasBomb_IsRefused()
    {
        // Was: 9 levels of 10 aliases loaded in microseconds as a shared graph of 10^9 nodes, which the master then tried
        // to serialize into a pillar or a reactor's data.
        var text = new System.Text.StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
        {
            text.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        }

        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load(text.ToString(), "bomb.sls"));

        Assert.Equal($"aliases expand the document by more than {YamlLoader.MaxAliasedNodes} nodes", e.Problem);
        Assert.Equal(("bomb.sls", 6L), (e.Path, e.Line));
    }

    [Fact]
    public void Load_ManyAliasesOfASmallAnchor_Load()
    {
        var text = "base: &b {a: 1, b: [1, 2]}\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"k{i}: *b\n"));

        var data = (Dictionary<string, object?>)YamlLoader.Load(text)!;

        Assert.Equal(10_001, data.Count);
        Assert.Same(data["base"], data["k9999"]);
    }

    [Theory]
    [InlineData("0x_")]
    [InlineData("0b_")]
    [InlineData("._")]
    [InlineData("!!int 1.5")]
    [InlineData("!!int 0x")]
    public void Load_NumberWithoutDigits_IsALocatedError(string scalar)
    {
        // Was: FormatException or ArgumentOutOfRangeException escaped the loader, with no file or line.
        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load("a: 1\nk: " + scalar, "n.sls"));

        Assert.Equal(("n.sls", 2L, 4L), (e.Path, e.Line, e.Column));
        Assert.StartsWith("invalid ", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0xFFFFFFFFFFFFFFFF", 18446744073709551615.0)]
    [InlineData("0xFFFFFFFFFFFFFFFFFF", 4722366482869645213695.0)]
    [InlineData("0b11111111111111111111111111111111111111111111111111111111111111111111111", 2361183241434822606847.0)]
    [InlineData("-99999999999999999999", -99999999999999999999.0)]
    public void Load_IntegerBeyond64Bits_IsTheNearestDouble(string scalar, double expected)
    {
        // Was: OverflowException for most, and 0xFFFFFFFFFFFFFFFF silently read as -1.
        Assert.Equal(expected, Value(scalar));
    }

    [Fact]
    public void Load_SexagesimalBeyond64Bits_IsADouble()
    {
        Assert.InRange(Assert.IsType<double>(Value("99999999999999999999:30")), 5.9999e21, 6.0001e21);
    }

    [Theory]
    [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-0x8000000000000000", long.MinValue)]
    [InlineData("+0b1_0", 2L)]
    [InlineData("190:20:30", 685230L)]
    [InlineData("00017", 17L)]
    public void Load_IntegerWithin64Bits_IsExact(string scalar, long expected)
    {
        Assert.Equal(expected, Value(scalar));
    }

    [Theory]
    [InlineData("-.")]
    [InlineData("+.")]
    [InlineData(".e+5")]
    [InlineData("-.5")]
    public void Load_SignedPointWithoutLeadingDigit_IsAStringAsInPyYaml(string scalar)
    {
        // Was: FormatException for the first three (the float pattern matched them but double.Parse did not).
        Assert.Equal(scalar, Value(scalar));
    }

    private static object? Value(string scalar) => ((Dictionary<string, object?>)YamlLoader.Load("k: " + scalar)!)["k"];

    [Theory]
    [InlineData("- {a\n-", 1L)]
    [InlineData("k: v\nl:\n  - {a\n  -", 3L)]
    [InlineData("!!+'", 1L)]
    public void Load_InputThatBreaksTheScanner_IsALocatedError(string text, long line)
    {
        // Was: YamlDotNet's InvalidOperationException or ArgumentException escaped the loader, with no file or line.
        var e = Assert.Throws<YamlLoadException>(() => YamlLoader.Load(text, "s.sls"));

        Assert.Equal(("s.sls", line), (e.Path, e.Line));
        Assert.StartsWith("malformed YAML", e.Problem, StringComparison.Ordinal);
    }
}
