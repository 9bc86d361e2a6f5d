using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Tests.Targeting;

public class GrainMatcherTests
{
    [Theory]
    [InlineData("os:Ubuntu", true)]
    [InlineData("os:ubuntu", true)]
    [InlineData("os:UBUNTU", true)]
    [InlineData("os:Ub*", true)]
    [InlineData("os:Ub?ntu", true)]
    [InlineData("os:Debian", false)]
    [InlineData("os:Ubuntu*x", false)]
    [InlineData("os_family:Debian", true)]
    [InlineData("osrelease:22.04", true)]
    [InlineData("osrelease:22.*", true)]
    [InlineData("roles:web", true)]
    [InlineData("roles:cache", true)]
    [InlineData("roles:c*", true)]
    [InlineData("roles:db", false)]
    [InlineData("num_cpus:4", true)]
    [InlineData("num_cpus:8", false)]
    [InlineData("mem_ratio:1.5", true)]
    [InlineData("is_prod:True", true)]
    [InlineData("is_prod:true", true)]
    [InlineData("is_prod:False", false)]
    [InlineData("none_val:None", true)]
    [InlineData("locale_info:defaultencoding:UTF-8", true)]
    [InlineData("locale_info:defaultencoding:utf-8", true)]
    [InlineData("locale_info:defaultencoding:latin1", false)]
    [InlineData("locale_info:nested:deep:x", true)]
    [InlineData("locale_info:nested:deep:y", false)]
    [InlineData("locale_info:defaultencoding", true)]
    [InlineData("locale_info:*", true)]
    [InlineData("locale_info:missing", false)]
    [InlineData("os:*", true)]
    [InlineData("missing:*", false)]
    [InlineData("missing:x", false)]
    [InlineData("empty_dict:*", false)]
    [InlineData("ipv6:::1", true)]
    [InlineData("ipv6:fe80::1", true)]
    [InlineData("ipv6:fe80::2", false)]
    [InlineData("disks:name:sda", true)]
    [InlineData("disks:size:100", true)]
    [InlineData("disks:0:name:sda", true)]
    [InlineData("disks:1:name:sda", false)]
    [InlineData("disks:-1:name:sdb", true)]
    [InlineData("disks:5:name:sda", false)]
    [InlineData("os:Ubuntu:extra", false)]
    [InlineData("*:Ubuntu", true)]
    [InlineData("*:Nothing", false)]
    public void Grain_Expression_MatchesLikeSubdictMatch(string expression, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(expression, TargetType.Grain, Fleet.Web1));
    }

    [Theory]
    [InlineData("locale_info|defaultencoding|UTF-8", true)]
    [InlineData("ipv6|::1", true)]
    [InlineData("ipv6|fe80::1", true)]
    [InlineData("os|Ubuntu", true)]
    [InlineData("os|Debian", false)]
    public void Grain_CustomDelimiter_SplitsOnIt(string expression, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(expression, TargetType.Grain, Fleet.Web1, delimiter: '|'));
    }

    [Theory]
    [InlineData("os:(Ubuntu|Debian)", true)]
    [InlineData("os:ubu", true)]
    [InlineData("os:buntu", false)]
    [InlineData("os:UBUNTU$", true)]
    [InlineData(@"num_cpus:\d+$", true)]
    [InlineData("roles:^w", true)]
    [InlineData("roles:^d", false)]
    [InlineData(@"locale_info:defaultencoding:utf-\d", true)]
    [InlineData("ipv6:fe80::.*", true)]
    public void GrainPcre_Expression_MatchesRegexCaseInsensitively(string expression, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(expression, TargetType.GrainPcre, Fleet.Web1));
    }

    [Theory]
    [InlineData("os", TargetType.Grain)]
    [InlineData("", TargetType.Grain)]
    [InlineData("os", TargetType.GrainPcre)]
    [InlineData("os:(", TargetType.GrainPcre)]
    [InlineData("a:b:(c", TargetType.GrainPcre)]
    public void Grain_InvalidExpression_Throws(string expression, TargetType type)
    {
        Assert.Throws<TargetException>(() => TargetMatcher.Parse(expression, type));
    }

    [Fact]
    public void GrainPcre_RegexValidForOneSplit_Compiles()
    {
        var matcher = new GrainPcreMatcher("k:a(b:c)");
        var facts = new MinionFacts("m", Fleet.Map(("k", "AB:C")));
        Assert.True(matcher.Matches(facts));
    }

    [Fact]
    public void Grain_MinionWithoutGrains_DoesNotMatch()
    {
        Assert.False(TargetMatcher.Matches("os:*", TargetType.Grain, MinionFacts.ForId("bare")));
    }

    [Fact]
    public void Grain_SelectsAcrossFleet()
    {
        Assert.Equal("web1,db1", Fleet.Select("os:Ubuntu", TargetType.Grain));
        Assert.Equal("db1,db2", Fleet.Select("roles:db", TargetType.Grain));
    }
}
