using Orchestrator.Master.Api;

namespace Orchestrator.Master.Tests.Api;

public sealed class UntrustedYamlTests
{
    [Theory]
    [InlineData("a: 1\nb: [x, {c: d}]\n")]
    [InlineData("[1, 2, 3]")]
    [InlineData("plain text")]
    public void OrdinaryYaml_HasNoProblem(string text) => Assert.Null(UntrustedYaml.Problem(text));

    [Fact]
    public void Aliases_DeepNesting_AndBrokenYaml_AreRefusedWithoutLoading()
    {
        Assert.Contains("aliases", UntrustedYaml.Problem("a: &a [x, x]\nb: [*a, *a]\n"));
        Assert.Contains("deeper than 64", UntrustedYaml.Problem(new string('[', 65) + new string(']', 65)));
        Assert.Null(UntrustedYaml.Problem(new string('[', 64) + new string(']', 64)));
        Assert.Equal("not valid YAML", UntrustedYaml.Problem("a: [unclosed"));
    }

    [Fact]
    public void AFormArgumentWithAliasesOrDeepNesting_StaysText()
    {
        const string bomb = "[&a [x, x], [*a, *a]]";
        var deep = new string('[', 200) + new string(']', 200);

        Assert.Equal(bomb, FormArgs.Yamlify(bomb));
        Assert.Equal(deep, FormArgs.Yamlify(deep));
        Assert.Equal(new List<object?> { 1L, 2L }, FormArgs.Yamlify("[1, 2]"));
    }
}
