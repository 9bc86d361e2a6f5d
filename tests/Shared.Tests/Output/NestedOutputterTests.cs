using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Tests.Output;

public class NestedOutputterTests
{
    private static readonly NestedOutputter _nested = new();

    [Fact]
    public void Nested_Boolean_PrintsPythonSpelling()
    {
        Assert.Equal("web1:\n    True", _nested.Format(Samples.Map(("web1", true)), OutputOptions.Default));
    }

    [Fact]
    public void Nested_MixedData_MatchesSaltLayout()
    {
        const string expected =
            "web1:\n" +
            "    ----------\n" +
            "    a:\n" +
            "        x\n" +
            "        y\n" +
            "    b:\n" +
            "    c:\n" +
            "        ----------\n" +
            "    d:\n" +
            "        None\n" +
            "    e:\n" +
            "        False\n" +
            "    f:\n" +
            "        1\n" +
            "    g:\n" +
            "        1.5\n" +
            "    h:\n" +
            "        - p\n" +
            "        |_\n" +
            "          ----------\n" +
            "          q:\n" +
            "              1\n" +
            "          r:\n" +
            "              - 1\n" +
            "              - 2\n" +
            "        |_\n" +
            "          - r\n" +
            "          - s\n" +
            "        |_\n" +
            "        |_\n" +
            "          ----------\n" +
            "    i:\n" +
            "    z_last:\n" +
            "        ----------\n" +
            "        k:\n" +
            "            ----------\n" +
            "            deep:\n" +
            "                True";
        Assert.Equal(expected, _nested.Format(Samples.Mixed(), OutputOptions.Default));
    }

    [Fact]
    public void Nested_MultilineStringInList_IndentsContinuationUnderItem()
    {
        var data = Samples.Map(("web1", Samples.Seq("first\nsecond\r\nthird", 2.0, null)));
        Assert.Equal("web1:\n    - first\n      second\n      third\n    - 2.0\n    - None", _nested.Format(data, OutputOptions.Default));
    }

    [Fact]
    public void Nested_Keys_AreSorted()
    {
        var data = Samples.Map(("web1", Samples.Map(("b", 1L), ("a", 2L), ("B", 3L))));
        Assert.Equal("web1:\n    ----------\n    B:\n        3\n    a:\n        2\n    b:\n        1", _nested.Format(data, OutputOptions.Default));
    }

    [Fact]
    public void Nested_EmptyValues_PrintNothing()
    {
        Assert.Equal(string.Empty, _nested.Format(Samples.Map(), OutputOptions.Default));
        Assert.Equal("web1:", _nested.Format(Samples.Map(("web1", "")), OutputOptions.Default));
        Assert.Equal("web1:", _nested.Format(Samples.Map(("web1", Samples.Seq())), OutputOptions.Default));
    }

    [Fact]
    public void Nested_Color_UsesSaltColours()
    {
        var data = Samples.Map(("web1", Samples.Map(("ok", true), ("out", "hi"), ("n", 5L), ("l", Samples.Seq(Samples.Seq("x"))))));
        const string expected =
            "\e[0;36mweb1\e[0;0m:\n" +
            "    \e[0;36m----------\e[0;0m\n" +
            "    \e[0;36ml\e[0;0m:\n" +
            "        \e[0;32m|_\e[0;0m\n" +
            "          \e[0;32m- x\e[0;0m\n" +
            "    \e[0;36mn\e[0;0m:\n" +
            "        \e[0;1;33m5\e[0;0m\n" +
            "    \e[0;36mok\e[0;0m:\n" +
            "        \e[0;1;33mTrue\e[0;0m\n" +
            "    \e[0;36mout\e[0;0m:\n" +
            "        \e[0;32mhi\e[0;0m";
        Assert.Equal(expected, _nested.Format(data, OutputOptions.Default with { Color = true }));
    }

    [Fact]
    public void Nested_NonZeroRetcode_DrawsStructureRed()
    {
        var data = Samples.Map(("web1", Samples.Map(("l", Samples.Seq(Samples.Map())))));
        const string expected =
            "\e[0;31mweb1\e[0;0m:\n" +
            "    \e[0;31m----------\e[0;0m\n" +
            "    \e[0;31ml\e[0;0m:\n" +
            "        \e[0;31m|_\e[0;0m\n" +
            "          \e[0;31m----------\e[0;0m";
        Assert.Equal(expected, _nested.Format(data, OutputOptions.Default with { Color = true, Retcode = 1 }));
    }

    [Fact]
    public void Nested_EscapeInString_IsNeutralized()
    {
        Assert.Equal("web1:\n    ?[31mred", _nested.Format(Samples.Map(("web1", "\e[31mred")), OutputOptions.Default));
        Assert.Equal("web1:\n    \e[31mred", _nested.Format(Samples.Map(("web1", "\e[31mred")), OutputOptions.Default with { StripColors = false }));
    }

    [Fact]
    public void Nested_NestedIndent_ShiftsEveryLine()
    {
        Assert.Equal("  ----------\n  web1:\n      True", _nested.Format(Samples.Map(("web1", true)), OutputOptions.Default with { NestedIndent = 2 }));
    }

    [Fact]
    public void Nested_NotStatic_PrintsMinionsInArrivalOrder()
    {
        Assert.Equal("web2:\n    True\nweb1:\n    False", _nested.Format(Samples.TwoMinions(), OutputOptions.Default));
        Assert.Equal("web1:\n    False\nweb2:\n    True", _nested.Format(Samples.TwoMinions(), OutputOptions.Default with { Static = true }));
    }

    [Fact]
    public void Nested_Scalars_PrintAlone()
    {
        Assert.Equal("None", _nested.Format(null, OutputOptions.Default));
        Assert.Equal("1e+16", _nested.Format(1e16, OutputOptions.Default));
        Assert.Equal("- 1\n- two", _nested.Format(new object[] { 1, "two" }, OutputOptions.Default));
    }
}
