using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Orchestrator.Minion.Modules.Providers;

/// <summary>The host's network interfaces in Salt's <c>network.interfaces</c> shape; shared by the network grains and module.</summary>
internal static class HostInterfaces
{
    /// <summary>{name: {hwaddr, up, inet: [{address, netmask, broadcast, label}], inet6: [{address, prefixlen, scope}]}}.</summary>
    public static Dictionary<string, object?> Describe()
    {
        var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var entry = new Dictionary<string, object?>
            {
                ["hwaddr"] = HwAddr(nic),
                // Loopback and tunnels report Unknown while they carry traffic, as `ip link` shows them.
                ["up"] = nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown,
            };
            var inet = new List<object?>();
            var inet6 = new List<object?>();
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily == AddressFamily.InterNetwork)
                {
                    var prefix = unicast.PrefixLength;
                    inet.Add(new Dictionary<string, object?>
                    {
                        ["address"] = address.ToString(),
                        ["netmask"] = Netmask(prefix).ToString(),
                        ["broadcast"] = prefix < 31 && !IPAddress.IsLoopback(address) ? Broadcast(address, prefix).ToString() : null,
                        ["label"] = nic.Name,
                    });
                }
                else if (address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    inet6.Add(new Dictionary<string, object?>
                    {
                        ["address"] = WithoutScope(address),
                        ["prefixlen"] = unicast.PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["scope"] = address.IsIPv6LinkLocal ? "link" : IPAddress.IsLoopback(address) ? "host" : "global",
                    });
                }
            }
            if (inet.Count > 0)
            {
                entry["inet"] = inet;
            }
            if (inet6.Count > 0)
            {
                entry["inet6"] = inet6;
            }
            result[nic.Name] = entry;
        }
        return result.ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every address of a family, each with its interface name and whether it is loopback.</summary>
    public static IEnumerable<(string Interface, IPAddress Address, int PrefixLength)> Addresses(AddressFamily family) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses
                .Where(u => u.Address.AddressFamily == family)
                .Select(u => (nic.Name, u.Address, u.PrefixLength)));

    public static string? HwAddr(NetworkInterface nic)
    {
        var bytes = nic.GetPhysicalAddress().GetAddressBytes();
        return bytes.Length == 0 ? "00:00:00:00:00:00" : string.Join(':', bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static string WithoutScope(IPAddress address)
    {
        var text = address.ToString();
        var percent = text.IndexOf('%');
        return percent < 0 ? text : text[..percent];
    }

    public static bool InCidr(IPAddress address, string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var network) || !int.TryParse(cidr[(slash + 1)..], out var prefix))
        {
            throw new ModuleException($"Invalid CIDR '{cidr}'");
        }
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
            {
                return false;
            }
        }
        return true;
    }

    private static IPAddress Netmask(int prefix)
    {
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new IPAddress([(byte)(mask >> 24), (byte)(mask >> 16), (byte)(mask >> 8), (byte)mask]);
    }

    private static IPAddress Broadcast(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        var mask = Netmask(prefix).GetAddressBytes();
        for (var i = 0; i < 4; i++)
        {
            bytes[i] = (byte)(bytes[i] | ~mask[i]);
        }
        return new IPAddress(bytes);
    }
}
