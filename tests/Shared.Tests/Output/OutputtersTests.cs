using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Tests.Output;

public class OutputtersTests
{
    [Theory]
    [InlineData("nested", typeof(NestedOutputter))]
    [InlineData("json", typeof(JsonOutputter))]
    [InlineData("yaml", typeof(YamlOutputter))]
    [InlineData("txt", typeof(TxtOutputter))]
    [InlineData("text", typeof(TxtOutputter))]
    [InlineData("raw", typeof(RawOutputter))]
    [InlineData("quiet", typeof(QuietOutputter))]
    [InlineData("highstate", typeof(HighstateOutputter))]
    [InlineData(null, typeof(NestedOutputter))]
    [InlineData("", typeof(NestedOutputter))]
    public void Outputters_Name_ResolvesBuiltin(string? name, Type expected)
    {
        Assert.IsType(expected, Outputters.Get(name));
    }

    [Fact]
    public void Outputters_UnknownName_ThrowsListingNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Outputters.Get("pprint"));
        Assert.Contains("Unknown outputter 'pprint'", ex.Message);
        Assert.Contains("highstate, json, nested, quiet, raw, txt, yaml", ex.Message);
        Assert.False(Outputters.TryGet("bogus", out _));
    }

    [Fact]
    public void Outputters_Quiet_PrintsNothing()
    {
        Assert.Equal(string.Empty, Outputters.Get("quiet").Format(Samples.Mixed(), OutputOptions.Default));
    }

    [Fact]
    public void Outputters_ForeignShapes_AreNormalized()
    {
        var data = new Dictionary<string, object> { ["web1"] = new object[] { 1, "a", true } };
        Assert.Equal("{'web1': [1, 'a', True]}", Outputters.Get("raw").Format(data, OutputOptions.Default));
    }
}
