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
}
