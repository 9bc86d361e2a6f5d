using System.Diagnostics;
using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Tests.Targeting;

public class TargetMatcherTests
{
    [Theory]
    [InlineData("glob", TargetType.Glob)]
    [InlineData("list", TargetType.List)]
    [InlineData("pcre", TargetType.Pcre)]
    [InlineData("grain", TargetType.Grain)]
    [InlineData("grain_pcre", TargetType.GrainPcre)]
    [InlineData("pillar", TargetType.Pillar)]
    [InlineData("pillar_pcre", TargetType.PillarPcre)]
    [InlineData("ipcidr", TargetType.Subnet)]
    [InlineData("nodegroup", TargetType.Nodegroup)]
    [InlineData("compound", TargetType.Compound)]
    public void TargetType_SaltName_RoundTrips(string name, TargetType type)
    {
        Assert.Equal(type, TargetTypeExtensions.ParseTargetType(name));
        Assert.Equal(name, type.ToSaltName());
    }

    [Theory]
    [InlineData(" GLOB ", TargetType.Glob)]
    [InlineData("subnet", TargetType.Subnet)]
    public void TargetType_Lenient_Parses(string name, TargetType type)
    {
        Assert.True(TargetTypeExtensions.TryParseTargetType(name, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData("range")]
    [InlineData("pillar_exact")]
    [InlineData("")]
    public void TargetType_Unknown_Throws(string name)
    {
        var ex = Assert.Throws<TargetException>(() => TargetTypeExtensions.ParseTargetType(name));
        Assert.Contains("Unknown target type", ex.Message);
        Assert.False(TargetTypeExtensions.TryParseTargetType(name, out _));
    }

    [Theory]
    [InlineData(TargetType.Glob, typeof(GlobMatcher))]
    [InlineData(TargetType.List, typeof(ListMatcher))]
    [InlineData(TargetType.Pcre, typeof(PcreMatcher))]
    [InlineData(TargetType.Compound, typeof(CompoundMatcher))]
    public void Parse_Type_BuildsMatchingMatcher(TargetType type, Type matcherType)
    {
        var target = TargetMatcher.Parse("web1", type);
        Assert.IsType(matcherType, target.Matcher);
        Assert.Equal(type, target.Type);
        Assert.Equal("web1", target.Expression);
    }

    [Fact]
    public void Parse_SequenceForScalarType_Throws()
    {
        Assert.Throws<TargetException>(() => TargetMatcher.Parse(["a", "b"], TargetType.Glob));
        Assert.True(TargetMatcher.Parse(["web*"], TargetType.Glob).Matches(Fleet.Web1));
    }

    [Fact]
    public void ExpectedMinions_ReturnsMatchesInInputOrder()
    {
        Assert.Equal(["web2", "db2"], TargetMatcher.ExpectedMinions("G@os:CentOS", TargetType.Compound, Fleet.Four));
    }

    [Fact]
    public void Parse_ThousandsOfMinions_IsFastAndThreadSafe()
    {
        var minions = Enumerable.Range(0, 5000)
            .Select(i => Fleet.Host($"node{i:D4}", i % 2 == 0 ? "Ubuntu" : "CentOS", i % 3 == 0 ? "db" : "web", $"10.{i / 256 % 256}.{i % 256}.1", "prod"))
            .ToList();
        var target = TargetMatcher.Parse(
            "( G@os:Ubuntu and G@roles:web ) or ( E@node1\\d+ and S@10.0.0.0/16 ) and not L@node0000,node0002",
            TargetType.Compound);

        var sequential = target.SelectMinions(minions);
        var parallel = minions.AsParallel().AsOrdered().Where(target.Matches).Select(m => m.Id).ToList();

        Assert.Equal(sequential, parallel);
        Assert.Contains("node0004", sequential);
        Assert.DoesNotContain("node0003", sequential);
    }

    [Fact]
    public void TargetExpression_ToString_NamesTypeAndExpression()
    {
        Assert.Equal("ipcidr:10.0.0.0/8", TargetMatcher.Parse("10.0.0.0/8", TargetType.Subnet).ToString());
    }
}
