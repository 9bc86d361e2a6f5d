using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Tests.Output;

public class RawOutputterTests
{
    private static readonly RawOutputter _raw = new();

    [Fact]
    public void Raw_Boolean_PrintsPythonRepr()
    {
        Assert.Equal("{'web1': True}", _raw.Format(Samples.Map(("web1", true)), OutputOptions.Default));
    }

    [Fact]
    public void Raw_MixedData_MatchesPythonStr()
    {
        var data = Samples.Map(
            ("web1", true),
            ("web2", Samples.Map(("a", null), ("b", Samples.Seq(1L, 2.5, "it's", "x\ny", "\e", "é", "\u200b", "\u0085")))));
        const string expected = "{'web1': True, 'web2': {'a': None, 'b': [1, 2.5, \"it's\", 'x\\ny', '\\x1b', 'é', '\\u200b', '\\x85']}}";
        Assert.Equal(expected, _raw.Format(data, OutputOptions.Default with { Static = true }));
    }

    [Fact]
    public void Raw_BothQuotes_EscapesSingleQuote()
    {
        Assert.Equal("{'s': 'both \\' and \"'}", _raw.Format(Samples.Map(("s", "both ' and \"")), OutputOptions.Default));
    }

    [Fact]
    public void Raw_NotStatic_PrintsOneLinePerMinion()
    {
        Assert.Equal("{'web2': True}\n{'web1': False}", _raw.Format(Samples.TwoMinions(), OutputOptions.Default));
    }

    [Theory]
    [InlineData("text", "text")]
    [InlineData(null, "None")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NaN, "nan")]
    public void Raw_Scalars_PrintPythonStr(object? data, string expected)
    {
        Assert.Equal(expected, _raw.Format(data, OutputOptions.Default));
    }
}
