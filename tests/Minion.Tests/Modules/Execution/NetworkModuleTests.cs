using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class NetworkModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task IpAddrs_LoopbackOnlyWhenAsked()
    {
        var without = (List<object?>)(await _harness.ReturnAsync("network.ip_addrs"))!;
        Assert.DoesNotContain("127.0.0.1", without);
        var with = (List<object?>)(await _harness.ReturnAsync("network.ip_addrs", [], Kw(("include_loopback", true))))!;
        Assert.Contains("127.0.0.1", with);
        Assert.Equal(new List<object?> { "127.0.0.1" },
            await _harness.ReturnAsync("network.ip_addrs", [], Kw(("include_loopback", true), ("cidr", "127.0.0.0/8"))));
        Assert.Equal(new List<object?> { "127.0.0.1" },
            await _harness.ReturnAsync("network.ip_addrs", [], Kw(("interface", "lo"), ("include_loopback", true))));
    }

    [Fact]
    public async Task IpAddrs6_LoopbackOnlyWhenAsked()
    {
        var with = (List<object?>)(await _harness.ReturnAsync("network.ip_addrs6", [], Kw(("include_loopback", true))))!;
        var without = (List<object?>)(await _harness.ReturnAsync("network.ip_addrs6"))!;
        Assert.DoesNotContain("::1", without);
        if (Socket6Available())
        {
            Assert.Contains("::1", with);
        }
    }

    [Fact]
    public async Task Interfaces_HasLoopbackWithInet()
    {
        var interfaces = (Dictionary<string, object?>)(await _harness.ReturnAsync("network.interfaces"))!;
        var lo = (Dictionary<string, object?>)interfaces["lo"]!;
        Assert.Equal(true, lo["up"]);
        var inet = (Dictionary<string, object?>)((List<object?>)lo["inet"]!)[0]!;
        Assert.Equal("127.0.0.1", inet["address"]);
        Assert.Equal("255.0.0.0", inet["netmask"]);
        Assert.Equal("00:00:00:00:00:00", lo["hwaddr"]);
    }

    [Fact]
    public async Task Hwaddr_KnownAndUnknownInterface()
    {
        Assert.Equal("00:00:00:00:00:00", await _harness.ReturnAsync("network.hwaddr", "lo"));
        Assert.Null(await _harness.ReturnAsync("network.hwaddr", "no-such-if"));
    }

    [Fact]
    public async Task GetHostname_MatchesDns() =>
        Assert.Equal(System.Net.Dns.GetHostName(), await _harness.ReturnAsync("network.get_hostname"));

    [Fact]
    public async Task Ping_Loopback_Succeeds()
    {
        var result = await _harness.InvokeAsync("network.ping", ["127.0.0.1"], Kw(("return_boolean", true), ("timeout", 1)));
        Assert.True(result.Success);
        if (result.Return is false && !IcmpAllowed())
        {
            return; // ICMP needs root or ping_group_range; CI runs as root.
        }
        Assert.Equal(true, result.Return);
        Assert.Contains("4 packets transmitted, 4 received", (string)(await _harness.ReturnAsync("network.ping", "127.0.0.1"))!);
    }

    [Fact]
    public async Task Subnets_ExcludeLoopback() =>
        Assert.DoesNotContain("127.0.0.0/8", (List<object?>)(await _harness.ReturnAsync("network.subnets"))!);

    private static bool IcmpAllowed() => Environment.UserName == "root";

    private static bool Socket6Available() => System.Net.Sockets.Socket.OSSupportsIPv6 && File.Exists("/proc/net/if_inet6")
        && File.ReadAllText("/proc/net/if_inet6").Contains("00000000000000000000000000000001", StringComparison.Ordinal);
}
