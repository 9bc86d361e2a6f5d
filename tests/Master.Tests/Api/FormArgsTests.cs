using Orchestrator.Master.Api;

namespace Orchestrator.Master.Tests.Api;

public sealed class FormArgsTests
{
    [Theory]
    [InlineData("1", 1L)]
    [InlineData("true", true)]
    [InlineData("1.5", 1.5)]
    [InlineData("text", "text")]
    [InlineData("{{ 7*7 }}", "{{ 7*7 }}")]
    [InlineData("{% if x %}y{% endif %}", "{% if x %}y{% endif %}")]
    [InlineData("1_000", "1_000")]
    [InlineData("", "")]
    [InlineData("---", "---")]
    [InlineData("a: b", "a: b")]
    [InlineData("- a", "- a")]
    [InlineData("#", "#")]
    [InlineData("!", "!")]
    [InlineData("|", "|")]
    [InlineData("x # comment", "x # comment")]
    [InlineData("line\nbreak", "line\nbreak")]
    [InlineData("[unclosed", "[unclosed")]
    public void Yamlify_Scalars(string text, object? expected)
    {
        Assert.Equal(expected, FormArgs.Yamlify(text));
    }

    [Fact]
    public void Yamlify_None_IsNull()
    {
        Assert.Null(FormArgs.Yamlify("None"));
    }

    [Fact]
    public void Yamlify_FlowCollections_AreData()
    {
        Assert.Equal(new List<object?> { "a", 1L }, FormArgs.Yamlify("[a, 1]"));
        Assert.Equal(new Dictionary<string, object?> { ["a"] = 1L }, FormArgs.Yamlify("{a: 1}"));
    }
}
