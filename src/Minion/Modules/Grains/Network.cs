using System.Net.Sockets;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Network grains: <c>ipv4</c>, <c>ipv6</c>, <c>ip_interfaces</c>, <c>ip4_interfaces</c>, <c>ip6_interfaces</c>, <c>hwaddr_interfaces</c>.</summary>
public sealed class NetworkGrains : IGrainProvider
{
    public string Name => "network";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var v4 = HostInterfaces.Addresses(AddressFamily.InterNetwork).ToList();
        var v6 = HostInterfaces.Addresses(AddressFamily.InterNetworkV6).ToList();
        var interfaces = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Select(n => n.Name).Distinct().Order(StringComparer.Ordinal).ToList();

        Dictionary<string, object?> ByInterface(IEnumerable<(string Interface, System.Net.IPAddress Address, int PrefixLength)> addresses) =>
            interfaces.ToDictionary(
                name => name,
                name => (object?)addresses.Where(a => a.Interface == name).Select(a => (object?)HostInterfaces.WithoutScope(a.Address)).ToList(),
                StringComparer.Ordinal);

        var ip4 = ByInterface(v4);
        var ip6 = ByInterface(v6);
        var all = interfaces.ToDictionary(
            name => name,
            name => (object?)((List<object?>)ip4[name]!).Concat((List<object?>)ip6[name]!).ToList(),
            StringComparer.Ordinal);
        return Task.FromResult(new Dictionary<string, object?>
        {
            ["ipv4"] = v4.Select(a => HostInterfaces.WithoutScope(a.Address)).Distinct().Order(StringComparer.Ordinal).Cast<object?>().ToList(),
            ["ipv6"] = v6.Select(a => HostInterfaces.WithoutScope(a.Address)).Distinct().Order(StringComparer.Ordinal).Cast<object?>().ToList(),
            ["ip_interfaces"] = all,
            ["ip4_interfaces"] = ip4,
            ["ip6_interfaces"] = ip6,
            ["hwaddr_interfaces"] = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .GroupBy(n => n.Name)
                .ToDictionary(g => g.Key, g => (object?)HostInterfaces.HwAddr(g.First()), StringComparer.Ordinal),
        });
    }
}
