using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Master.Cloud;

/// <summary>An IPv4 subnet such as <c>10.99.0.0/24</c>: its first host is the master's side, the rest go to nodes.</summary>
public sealed record Ipv4Subnet(uint Network, int Prefix)
{
    /// <summary>Parses <c>A.B.C.D/N</c> with N from 8 to 30.</summary>
    /// <exception cref="ArgumentException">Not an IPv4 CIDR, or too small to hold the master and a node.</exception>
    public static Ipv4Subnet Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 8 or > 30)
        {
            throw new ArgumentException($"subnet '{text}' is not an IPv4 subnet like 10.99.0.0/24 (prefix 8 to 30)");
        }
        var mask = uint.MaxValue << (32 - prefix);
        return new Ipv4Subnet(ToUInt(address) & mask, prefix);
    }

    /// <summary>The master's side of every node's link: the subnet's first host.</summary>
    public string HostAddress => ToText(Network + 1);

    /// <summary>The lowest node address not in <paramref name="used"/>, or null when the subnet is full.</summary>
    public string? NextFree(IEnumerable<string?> used)
    {
        var taken = used.Where(u => u is not null).ToHashSet(StringComparer.Ordinal);
        var last = Network + (uint)((1L << (32 - Prefix)) - 2);
        for (var candidate = Network + 2; candidate <= last; candidate++)
        {
            if (!taken.Contains(ToText(candidate)))
            {
                return ToText(candidate);
            }
        }
        return null;
    }

    public override string ToString() => $"{ToText(Network)}/{Prefix}";

    private static uint ToUInt(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static string ToText(uint value) => $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";
}
