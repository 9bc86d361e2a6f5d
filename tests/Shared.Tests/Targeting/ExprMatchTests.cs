using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.Tests.Targeting;

public class ExprMatchTests
{
    [Theory]
    [InlineData("salt/job/*/ret/*", "salt/job/20261201102323123456/ret/web1", true)]
    [InlineData("salt/job/*/ret/*", "salt/job/20261201102323123456/new", false)]
    [InlineData("*", "anything/at/all", true)]
    [InlineData("salt/auth", "salt/auth", true)]
    [InlineData("salt/auth", "salt/authx", false)]
    [InlineData(@"salt/beacon/web\d+/.*", "salt/beacon/web12/load/", true)]
    [InlineData(@"salt/beacon/web\d+/load", "salt/beacon/web12/load/", false)]
    [InlineData("salt/minion/[a-c]*/start", "salt/minion/db1/start", false)]
    [InlineData("(unbalanced", "(unbalanced", true)]
    [InlineData("(unbalanced", "unbalanced", false)]
    public void IsMatch_TextGlobOrWholeRegex_AsSaltsExprMatch(string expression, string value, bool expected)
    {
        Assert.Equal(expected, new ExprMatch(expression).IsMatch(value));
    }
}
