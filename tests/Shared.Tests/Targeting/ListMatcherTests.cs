using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Tests.Targeting;

public class ListMatcherTests
{
    [Theory]
    [InlineData("web1", "web1,web2", true)]
    [InlineData("web2", "web1,web2", true)]
    [InlineData("web2", "web1, web2", true)]
    [InlineData("web3", "web1,web2", false)]
    [InlineData("web1", "web1", true)]
    [InlineData("web1", "web*", false)]
    [InlineData("web1", "web10,web11", false)]
    [InlineData("web2", "web1 web2", true)]
    [InlineData("web1", ",web1,", true)]
    [InlineData("web1", "", false)]
    public void List_CommaSeparated_MatchesExactIds(string id, string ids, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(ids, TargetType.List, MinionFacts.ForId(id)));
    }

    [Fact]
    public void List_Sequence_MatchesExactIds()
    {
        var target = TargetMatcher.Parse(["web1", "db2"], TargetType.List);
        Assert.Equal(["web1", "db2"], target.SelectMinions(Fleet.Four));
        Assert.Equal("web1,db2", target.Expression);
    }

    [Fact]
    public void List_Ids_AreDeduplicatedInOrder()
    {
        Assert.Equal(["b", "a"], new ListMatcher("b,a,b").Ids);
    }

    [Fact]
    public void List_MissingMinions_ReportsUnknownIds()
    {
        var target = TargetMatcher.Parse("web1,ghost,db2", TargetType.List);
        Assert.Equal(["ghost"], target.MissingMinions(Fleet.Four.Select(m => m.Id)));
    }

    [Fact]
    public void List_MissingMinions_EmptyForOtherTypes()
    {
        Assert.Empty(TargetMatcher.Parse("ghost*", TargetType.Glob).MissingMinions(["web1"]));
    }
}
