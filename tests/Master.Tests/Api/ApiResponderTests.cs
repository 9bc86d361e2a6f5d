using Orchestrator.Master.Api;

namespace Orchestrator.Master.Tests.Api;

public sealed class ApiResponderTests
{
    [Theory]
    [InlineData("", ApiResponder.Json)]
    [InlineData("*/*", ApiResponder.Json)]
    [InlineData("application/json", ApiResponder.Json)]
    [InlineData("application/x-yaml", ApiResponder.Yaml)]
    [InlineData("text/yaml", ApiResponder.Yaml)]
    [InlineData("application/x-yaml, application/json;q=0.5", ApiResponder.Yaml)]
    [InlineData("application/x-yaml;q=0.2, application/json", ApiResponder.Json)]
    [InlineData("text/html,application/xhtml+xml,*/*;q=0.8", ApiResponder.Json)]
    [InlineData("text/html", null)]
    [InlineData("application/json;q=0", null)]
    public void Negotiate(string accept, string? expected)
    {
        Assert.Equal(expected, ApiResponder.Negotiate(accept));
    }
}
