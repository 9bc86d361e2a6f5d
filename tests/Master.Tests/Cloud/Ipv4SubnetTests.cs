using Orchestrator.Master.Cloud;

namespace Orchestrator.Master.Tests.Cloud;

public sealed class Ipv4SubnetTests
{
    [Fact]
    public void Parse_TheFirstHostIsTheMastersAndNodesTakeTheNextFree()
    {
        var subnet = Ipv4Subnet.Parse("10.99.0.77/24");

        Assert.Equal("10.99.0.0/24", subnet.ToString());
        Assert.Equal("10.99.0.1", subnet.HostAddress);
        Assert.Equal("10.99.0.2", subnet.NextFree([]));
        Assert.Equal("10.99.0.4", subnet.NextFree(["10.99.0.2", null, "10.99.0.3"]));
    }

    [Fact]
    public void NextFree_AFullSubnetHasNone()
    {
        var subnet = Ipv4Subnet.Parse("192.168.5.0/30");

        Assert.Equal("192.168.5.2", subnet.NextFree([]));
        Assert.Null(subnet.NextFree(["192.168.5.2"]));
    }

    [Theory]
    [InlineData("10.99.0.0")]
    [InlineData("10.99.0.0/31")]
    [InlineData("fd00::/64")]
    [InlineData("nonsense/24")]
    public void Parse_RejectsWhatIsNotAUsableIpv4Subnet(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => Ipv4Subnet.Parse(text));

        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }
}
