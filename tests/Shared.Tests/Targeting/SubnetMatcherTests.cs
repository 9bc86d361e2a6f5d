using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Tests.Targeting;

public class SubnetMatcherTests
{
    [Theory]
    [InlineData("10.0.0.0/24", true)]
    [InlineData("10.0.1.0/24", false)]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("10.0.0.4/30", true)]
    [InlineData("10.0.0.0/30", false)]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.0.6", false)]
    [InlineData("10.0.0.5/32", true)]
    [InlineData("10.0.0.4/32", false)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("10.0.0.0/255.255.255.0", true)]
    [InlineData("10.0.0.0/0.0.0.255", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::/0", true)]
    [InlineData("::1", true)]
    [InlineData("::1/128", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("2001:db9::/32", false)]
    [InlineData("2001:db8::5", true)]
    [InlineData("2001:DB8:0::5", true)]
    [InlineData("2001:db8::6", false)]
    [InlineData("fe80::/10", true)]
    [InlineData("fe80::1/128", true)]
    public void Subnet_Target_MatchesIpGrains(string target, bool expected)
    {
        Assert.Equal(expected, TargetMatcher.Matches(target, TargetType.Subnet, Fleet.Web1));
    }

    [Fact]
    public void Subnet_Ipv6Target_IgnoresIpv4Grains()
    {
        var facts = new MinionFacts("m", Fleet.Map(("ipv4", Fleet.Seq("10.0.0.5"))));
        Assert.False(new SubnetMatcher("::/0").Matches(facts));
        Assert.True(new SubnetMatcher("0.0.0.0/0").Matches(facts));
    }

    [Fact]
    public void Subnet_InvalidGrainEntries_AreSkipped()
    {
        var facts = new MinionFacts("m", Fleet.Map(("ipv4", Fleet.Seq("garbage", null, 5L, "10.0.0.5"))));
        Assert.True(new SubnetMatcher("10.0.0.0/24").Matches(facts));
    }

    [Fact]
    public void Subnet_Properties_DescribeTarget()
    {
        var network = new SubnetMatcher("2001:db8::/32");
        Assert.True(network.IsIPv6);
        Assert.False(network.IsAddress);
        Assert.Equal(32, network.PrefixLength);
        var address = new SubnetMatcher("10.0.0.1");
        Assert.True(address.IsAddress);
        Assert.Equal(32, address.PrefixLength);
    }

    [Fact]
    public void Subnet_SelectsAcrossFleet()
    {
        Assert.Equal("db1,db2", Fleet.Select("10.0.1.0/24", TargetType.Subnet));
    }

    [Theory]
    [InlineData("10.0.0.1/24", "host bits")]
    [InlineData("10.0.0.0/33", "prefix length")]
    [InlineData("2001:db8::/129", "prefix length")]
    [InlineData("300.0.0.1", "not an IPv4")]
    [InlineData("10.0.0", "not an IPv4")]
    [InlineData("10", "not an IPv4")]
    [InlineData("010.0.0.1", "not an IPv4")]
    [InlineData("web1", "not an IPv4")]
    [InlineData("", "not an IPv4")]
    [InlineData("10.0.0.0/abc", "netmask")]
    [InlineData("10.0.0.0/255.0.255.0", "netmask")]
    [InlineData("10.0.0.0/", "netmask")]
    public void Subnet_InvalidTarget_Throws(string target, string messagePart)
    {
        var ex = Assert.Throws<TargetException>(() => TargetMatcher.Parse(target, TargetType.Subnet));
        Assert.Contains(messagePart, ex.Message);
    }
}
