using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches minions by IP address or CIDR subnet (<c>S@</c>, <c>-S</c>), against the <c>ipv4</c> and <c>ipv6</c> grains.</summary>
/// <remarks>
/// A bare address (<c>10.0.0.5</c>, <c>fe80::1</c>) matches a minion that has exactly that address; a network
/// (<c>10.0.0.0/24</c>, <c>10.0.0.0/255.255.255.0</c>, <c>2001:db8::/32</c>) matches a minion with any address inside it.
/// IPv4 targets only look at <c>ipv4</c>, IPv6 targets only at <c>ipv6</c>. As with Python's <c>ipaddress</c>, addresses
/// are parsed strictly (dotted quad, no leading zeros) and a network with host bits set (<c>10.0.0.1/24</c>) is rejected.
/// </remarks>
public sealed class SubnetMatcher : ITargetMatcher
{
    private readonly byte[] _network;
    private readonly string _grain;

    /// <summary>Parses an address or network.</summary>
    /// <exception cref="TargetException">The target is neither a valid IP address nor a valid network.</exception>
    public SubnetMatcher(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
        var text = target.Trim();
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            var address = ParseAddress(text)
                ?? throw new TargetException($"Invalid IP/CIDR target '{target}': not an IPv4 or IPv6 address or network.");
            _network = address.GetAddressBytes();
            PrefixLength = _network.Length * 8;
            IsAddress = true;
        }
        else
        {
            var address = ParseAddress(text[..slash])
                ?? throw new TargetException($"Invalid IP/CIDR target '{target}': '{text[..slash]}' is not an IP address.");
            _network = address.GetAddressBytes();
            PrefixLength = ParsePrefix(text[(slash + 1)..], _network.Length * 8, target);
            for (var bit = PrefixLength; bit < _network.Length * 8; bit++)
            {
                if ((_network[bit / 8] & (0x80 >> (bit % 8))) != 0)
                {
                    throw new TargetException($"Invalid IP/CIDR target '{target}': it has host bits set.");
                }
            }
        }
        IsIPv6 = _network.Length == 16;
        _grain = IsIPv6 ? "ipv6" : "ipv4";
    }

    /// <summary>The target as given.</summary>
    public string Target { get; }

    /// <summary><c>true</c> for a bare address, <c>false</c> for a network.</summary>
    public bool IsAddress { get; }

    /// <summary><c>true</c> for an IPv6 target.</summary>
    public bool IsIPv6 { get; }

    /// <summary>The network's prefix length (32 or 128 for a bare address).</summary>
    public int PrefixLength { get; }

    /// <inheritdoc />
    public bool Matches(MinionFacts facts)
    {
        if (!facts.Grains.TryGetValue(_grain, out var value))
        {
            return false;
        }
        return value switch
        {
            string single => Contains(single),
            IReadOnlyList<object?> list => list.Any(item => item is string s && Contains(s)),
            _ => false,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Target;

    private bool Contains(string candidate)
    {
        var address = ParseAddress(candidate.Trim());
        if (address is null)
        {
            return false;
        }
        var bytes = address.GetAddressBytes();
        if (bytes.Length != _network.Length)
        {
            return false;
        }
        var full = PrefixLength / 8;
        for (var i = 0; i < full; i++)
        {
            if (bytes[i] != _network[i])
            {
                return false;
            }
        }
        var rest = PrefixLength % 8;
        if (rest == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[full] & mask) == _network[full];
    }

    private static int ParsePrefix(string text, int maxBits, string target)
    {
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= maxBits)
            {
                return prefix;
            }
            throw new TargetException($"Invalid IP/CIDR target '{target}': prefix length must be 0-{maxBits}.");
        }
        if (maxBits == 32 && ParseAddress(text) is { AddressFamily: AddressFamily.InterNetwork } mask)
        {
            var bits = BitsOf(mask.GetAddressBytes());
            if (PrefixFromMask(bits) is { } netmask)
            {
                return netmask;
            }
            if (PrefixFromMask(~bits) is { } hostmask)
            {
                return hostmask;
            }
        }
        throw new TargetException($"Invalid IP/CIDR target '{target}': '{text}' is not a valid prefix length or netmask.");
    }

    private static uint BitsOf(byte[] bytes) => (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);

    private static int? PrefixFromMask(uint bits)
    {
        var ones = System.Numerics.BitOperations.LeadingZeroCount(~bits);
        var contiguous = ones == 32 ? uint.MaxValue : ~(uint.MaxValue >> ones);
        return bits == contiguous ? ones : null;
    }

    // Python's ipaddress is stricter than IPAddress.TryParse, which accepts "10" or "10.1" as IPv4.
    internal static IPAddress? ParseAddress(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }
        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return null;
            }
            var value = int.Parse(part, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return null;
            }
            bytes[i] = (byte)value;
        }
        return new IPAddress(bytes);
    }
}
