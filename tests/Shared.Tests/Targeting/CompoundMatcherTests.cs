using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Tests.Targeting;

public class CompoundMatcherTests
{
    [Theory]
    [InlineData("web*", "web1,web2")]
    [InlineData("web* and G@os:Ubuntu", "web1")]
    [InlineData("web* or db1", "web1,web2,db1")]
    [InlineData("G@os:Ubuntu and web* or db2", "web1,db2")]
    [InlineData("db2 or G@os:Ubuntu and web*", "web1,db2")]
    [InlineData("( db2 or G@os:Ubuntu ) and web*", "web1")]
    [InlineData("not web1", "web2,db1,db2")]
    [InlineData("not G@os:Ubuntu and web*", "web2")]
    [InlineData("web* not web1", "web2")]
    [InlineData("( web1 or db1 ) not G@os:CentOS", "web1,db1")]
    [InlineData("web* and not G@os:Ubuntu or db1", "web2,db1")]
    [InlineData("not ( web* or db1 )", "db2")]
    [InlineData("not not web1", "web1")]
    [InlineData("( ( web1 ) )", "web1")]
    [InlineData("web1 or ( db* and not G@os:CentOS )", "web1,db1")]
    [InlineData("L@web1,db1 and G@os:Ubuntu", "web1,db1")]
    [InlineData("L@web1,db1 and not G@os:Ubuntu", "")]
    [InlineData(@"E@^db\d and S@10.0.1.0/24", "db1,db2")]
    [InlineData("S@10.0.0.6", "web2")]
    [InlineData("P@os:(ubuntu|centos) and I@role:db", "db1,db2")]
    [InlineData("G|@roles|db", "db1,db2")]
    [InlineData("G%@os%CentOS and I!@env!dev", "web2,db2")]
    [InlineData("J@env:^prod", "web1,db1")]
    [InlineData("J|@env|^dev$ or E@web1", "web1,web2,db2")]
    [InlineData("G@roles:web or G@roles:db and G@os:CentOS", "web1,web2,db2")]
    [InlineData("  web1   or\tdb1  ", "web1,db1")]
    public void Compound_Expression_FollowsSaltPrecedence(string expression, string expected)
    {
        Assert.Equal(expected, Fleet.Select(expression, TargetType.Compound));
    }

    [Theory]
    [InlineData("( web* or db1", "missing ')'")]
    [InlineData("web* or db1 )", "unexpected ')'")]
    [InlineData(") web1 (", "unexpected ')'")]
    [InlineData("and web*", "cannot begin")]
    [InlineData("or web*", "cannot begin")]
    [InlineData("web* and", "ends after 'and'")]
    [InlineData("not", "ends after 'not'")]
    [InlineData("web* or or db1", "operator 'or'")]
    [InlineData("( and web1 )", "operator 'and'")]
    [InlineData("web* db*", "missing operator between 'web*' and 'db*'")]
    [InlineData("( web1 ) db1", "missing operator")]
    [InlineData("( web1 db1 )", "missing operator")]
    [InlineData("( )", "empty parentheses")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("X@foo", "Unknown target prefix 'X@'")]
    [InlineData("web* and Q@foo", "Unknown target prefix 'Q@'")]
    [InlineData("R@%foo", "Range")]
    [InlineData("G@", "no pattern")]
    [InlineData("E@web(", "Invalid regular expression")]
    [InlineData("P@os:(", "Invalid regular expression")]
    [InlineData("S@10.0.0.1/24", "host bits")]
    [InlineData("S@banana", "Invalid IP/CIDR")]
    [InlineData("G@os", "no ':' delimiter")]
    [InlineData("(web* or db1)", "separated from other words by spaces")]
    [InlineData("N@nope", "Unknown nodegroup 'nope'")]
    public void Compound_InvalidExpression_ThrowsClearError(string expression, string messagePart)
    {
        var ex = Assert.Throws<TargetException>(() => TargetMatcher.Parse(expression, TargetType.Compound));
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void Compound_WordList_TreatsEachElementAsOneWord()
    {
        var target = TargetMatcher.Parse(["G@os:CentOS", "and", "web*"], TargetType.Compound);
        Assert.Equal(["web2"], target.SelectMinions(Fleet.Four));
        Assert.Equal("G@os:CentOS and web*", target.Expression);
    }

    [Fact]
    public void Compound_ListWord_MayContainSpacesInPattern()
    {
        var facts = new MinionFacts("m", Fleet.Map(("motd", "hello world")));
        Assert.True(new CompoundMatcher(["G@motd:hello world"]).Matches(facts));
    }

    [Fact]
    public void Compound_DelimiterArgument_IsIgnoredLikeSalt()
    {
        Assert.True(TargetMatcher.Matches("G@os:Ubuntu", TargetType.Compound, Fleet.Web1, delimiter: '|'));
    }
}
