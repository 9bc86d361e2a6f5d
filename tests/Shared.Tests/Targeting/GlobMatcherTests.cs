using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Tests.Targeting;

public class GlobMatcherTests
{
    [Theory]
    [InlineData("web1", "*", true)]
    [InlineData("web1", "web*", true)]
    [InlineData("web1", "Web*", false)]
    [InlineData("web1", "web", false)]
    [InlineData("web1", "eb1", false)]
    [InlineData("web1", "*eb*", true)]
    [InlineData("web1", "*1", true)]
    [InlineData("web1", "web?", true)]
    [InlineData("web10", "web?", false)]
    [InlineData("web1", "web[0-9]", true)]
    [InlineData("web1", "web[!0-9]", false)]
    [InlineData("weba", "web[!0-9]", true)]
    [InlineData("web1", "web[z-a1]", true)]
    [InlineData("web]", "web[]]", true)]
    [InlineData("web[1", "web[1", true)]
    [InlineData("a.b", "a?b", true)]
    [InlineData("axb", "a.b", false)]
    [InlineData("a+b", "a+b", true)]
    [InlineData("web1.example.com", "*.example.com", true)]
    [InlineData("web1.example.org", "*.example.com", false)]
    [InlineData("web1", "", false)]
    [InlineData("web1", "w*b*1", true)]
    [InlineData("web1", "w*x*1", false)]
    [InlineData("a\\b", "a\\b", true)]
    [InlineData("a\\b", "a[\\]b", true)]
    public void Glob_Pattern_MatchesLikeFnmatch(string id, string pattern, bool expected)
    {
        Assert.Equal(expected, new GlobMatcher(pattern).Matches(MinionFacts.ForId(id)));
        Assert.Equal(expected, TargetMatcher.Matches(pattern, TargetType.Glob, MinionFacts.ForId(id)));
    }

    [Fact]
    public void Glob_StarMatchesEveryMinion()
    {
        Assert.Equal("web1,web2,db1,db2", Fleet.Select("*", TargetType.Glob));
    }
}
