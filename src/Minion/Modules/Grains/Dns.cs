using System.Net;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>dns</c> grain: the resolver configuration as Salt's <c>salt.utils.dns.parse_resolv</c> reads it.</summary>
/// <remarks>systemd-resolved's <c>/run/systemd/resolve/resolv.conf</c> is preferred when it exists; no file, no grain.</remarks>
public sealed class DnsGrains : IGrainProvider
{
    public string Name => "dns";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var path = File.Exists(context.HostPath("/run/systemd/resolve/resolv.conf")) ? "/run/systemd/resolve/resolv.conf" : "/etc/resolv.conf";
        var text = context.ReadHostFile(path);
        var grains = new Dictionary<string, object?>();
        if (text is not null)
        {
            grains["dns"] = Parse(text);
        }
        return Task.FromResult(grains);
    }

    internal static Dictionary<string, object?> Parse(string text)
    {
        var nameservers = new List<object?>();
        var ip4 = new List<object?>();
        var ip6 = new List<object?>();
        var search = new List<object?>();
        var sortlist = new List<object?>();
        var options = new List<object?>();
        var domain = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var words = raw.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }
            // Everything from a word starting with # or ; is a comment.
            var args = words.Skip(1).TakeWhile(w => w[0] is not ('#' or ';')).ToList();
            switch (words[0].ToLowerInvariant())
            {
                case "nameserver" when args.Count > 0 && IPAddress.TryParse(args[0], out var address):
                    var text4 = address.ToString();
                    AddOnce(nameservers, text4);
                    AddOnce(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip4 : ip6, text4);
                    break;
                case "domain" when args.Count > 0:
                    domain = args[0];
                    break;
                case "search":
                    search = args.Cast<object?>().ToList();
                    break;
                case "sortlist":
                    foreach (var entry in args)
                    {
                        if (SortlistEntry(entry) is { } network)
                        {
                            AddOnce(sortlist, network);
                        }
                    }
                    break;
                case "options" when args.Count > 0:
                    AddOnce(options, args[0]);
                    break;
            }
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["nameservers"] = nameservers,
            ["ip4_nameservers"] = ip4,
            ["ip6_nameservers"] = ip6,
            ["sortlist"] = sortlist,
            ["domain"] = domain,
            ["search"] = search,
            ["options"] = options,
        };
    }

    private static void AddOnce(List<object?> list, string value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }

    /// <summary>An IPv4 sortlist entry as Python's <c>ip_network(...).with_netmask</c> ("10.0.0.0/255.0.0.0"); no mask: the classful one.</summary>
    private static string? SortlistEntry(string entry)
    {
        var slash = entry.IndexOf('/');
        if (!IPAddress.TryParse(slash < 0 ? entry : entry[..slash], out var address)
            || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }
        int prefix;
        if (slash < 0)
        {
            var first = address.GetAddressBytes()[0];
            prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
            return $"{Masked(address, prefix)}/{MaskOf(prefix)}";
        }
        if (IPAddress.TryParse(entry[(slash + 1)..], out var mask) && mask.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            prefix = mask.GetAddressBytes().Sum(b => System.Numerics.BitOperations.PopCount(b));
        }
        else if (!int.TryParse(entry[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix is < 0 or > 32)
        {
            return null;
        }
        // Python's ip_network is strict: host bits set is an error, and Salt skips the entry.
        return Masked(address, prefix).Equals(address) ? $"{address}/{MaskOf(prefix)}" : null;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        var mask = MaskOf(prefix).GetAddressBytes();
        for (var i = 0; i < 4; i++)
        {
            bytes[i] &= mask[i];
        }
        return new IPAddress(bytes);
    }

    private static IPAddress MaskOf(int prefix)
    {
        var bits = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new IPAddress([(byte)(bits >> 24), (byte)(bits >> 16), (byte)(bits >> 8), (byte)bits]);
    }
}
