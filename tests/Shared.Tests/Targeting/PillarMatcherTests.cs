using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.Tests.Targeting;

public class PillarMatcherTests
{
    [Theory]
    [InlineData("role:webserver", true)]
    [InlineData("role:web*", true)]
    [InlineData("role:db*", false)]
    [InlineData("app:version:1.2.*", true)]
    [InlineData("app:version:2.*", false)]
    [InlineData("app:tags:green", true)]
    [InlineData("app:tags:red", false)]
    [InlineData("app:version", true)]
    [InlineData("os:Ubuntu", false)]
    public void Pillar_Expression_MatchesPillarNotGrains(string expression, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(expression, TargetType.Pillar, Fleet.Web1));
    }

    [Theory]
    [InlineData(@"app:version:1\.2", true)]
    [InlineData(@"app:version:2\.", false)]
    [InlineData("env:^prod$", true)]
    [InlineData("app:tags:(red|blue)", true)]
    public void PillarPcre_Expression_MatchesRegex(string expression, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(expression, TargetType.PillarPcre, Fleet.Web1));
    }

    [Fact]
    public void Pillar_UnknownPillar_DoesNotMatch()
    {
        var facts = new MinionFacts("m", Fleet.Web1.Grains, Pillar: null);
        Assert.False(TargetMatcher.Matches("role:*", TargetType.Pillar, facts));
        Assert.False(TargetMatcher.Matches("role:.*", TargetType.PillarPcre, facts));
    }

    [Fact]
    public void Pillar_SelectsAcrossFleet()
    {
        Assert.Equal("web1,db1", Fleet.Select("env:prod", TargetType.Pillar));
    }

    [Fact]
    public void Pillar_MissingDelimiter_Throws()
    {
        Assert.Throws<TargetException>(() => TargetMatcher.Parse("role", TargetType.Pillar));
    }
}
