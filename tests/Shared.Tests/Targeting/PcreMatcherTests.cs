using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.Tests.Targeting;

public class PcreMatcherTests
{
    [Theory]
    [InlineData("web01", "web", true)]
    [InlineData("web01", "eb", false)]
    [InlineData("web01", ".*01", true)]
    [InlineData("web01", @"web\d+$", true)]
    [InlineData("web01x", @"web\d+$", false)]
    [InlineData("web01", @"web01\Z", true)]
    [InlineData("web01", @"(?P<role>web)\d", true)]
    [InlineData("webweb", @"(?P<r>web)(?P=r)", true)]
    [InlineData("WEB01", "web", false)]
    [InlineData("db1", "(web|db)[0-9]", true)]
    [InlineData("cache1", "(web|db)[0-9]", false)]
    public void Pcre_Pattern_MatchesLikeReMatch(string id, string pattern, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(pattern, TargetType.Pcre, MinionFacts.ForId(id)));
    }

    [Theory]
    [InlineData("web(")]
    [InlineData("[a-")]
    [InlineData("*web")]
    public void Pcre_InvalidRegex_Throws(string pattern)
    {
        var ex = Assert.Throws<TargetException>(() => TargetMatcher.Parse(pattern, TargetType.Pcre));
        Assert.Contains(pattern, ex.Message);
    }
}
