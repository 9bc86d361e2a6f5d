using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Tests.Output;

public class TxtOutputterTests
{
    private static readonly TxtOutputter _txt = new();

    [Fact]
    public void Txt_Returns_PrintMinionPrefixedLines()
    {
        var data = Samples.Map(
            ("web1", "line1\nline2"),
            ("web2", true),
            ("web3", ""),
            ("web4", Samples.Map(("a", 1L), ("b", Samples.Seq("x", null)))),
            ("web5", null));
        const string expected = "web1: line1\nweb1: line2\nweb2: True\nweb4: {'a': 1, 'b': ['x', None]}\nweb5: None";
        Assert.Equal(expected, _txt.Format(data, OutputOptions.Default));
        Assert.Equal(expected, _txt.Format(data, OutputOptions.Default with { Static = true }));
    }

    [Fact]
    public void Txt_NonMapping_PrintsAlone()
    {
        Assert.Equal("just text", _txt.Format("just text", OutputOptions.Default));
        Assert.Equal("['b', {'a': 2, 'z': 1}]", _txt.Format(Samples.Seq("b", Samples.Map(("z", 1L), ("a", 2L))), OutputOptions.Default));
    }
}
