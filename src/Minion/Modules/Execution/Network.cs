using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>network</c> module: addresses, interfaces, hostname and ping.</summary>
[ExecutionModule("network")]
public sealed class NetworkModule : IExecutionModule
{
    public NetworkModule()
    {
        Functions =
        [
            new("get_fqdn", "Return the minion's fully qualified domain name.\n\nCLI Example: orch '*' network.get_fqdn", [], GetFqdnAsync),
            new("get_hostname", "Return the minion's hostname.\n\nCLI Example: orch '*' network.get_hostname", [],
                (_, _) => Task.FromResult<object?>(Dns.GetHostName())),
            new("hwaddr", "Return the MAC address of an interface, or None.\n\nCLI Example: orch '*' network.hwaddr eth0", [Req("iface")], Hwaddr),
            new("interfaces", "Return {name: {hwaddr, up, inet: [{address, netmask, broadcast, label}], inet6: [{address, prefixlen, scope}]}} " +
                "for every interface.\n\nCLI Example: orch '*' network.interfaces", [],
                (_, _) => Task.FromResult<object?>(HostInterfaces.Describe())),
            new("ip_addrs", "Return the sorted IPv4 addresses of the minion, without loopback unless include_loopback=True; filter by interface, " +
                "cidr or type ('public'/'private').\n\nCLI Example: orch '*' network.ip_addrs cidr=10.0.0.0/8",
                [Opt("interface"), Opt("include_loopback", false), Opt("cidr"), Opt("type")], (c, _) => Addresses(c, AddressFamily.InterNetwork)),
            new("ip_addrs6", "Return the sorted IPv6 addresses of the minion, without loopback unless include_loopback=True; filter by interface or cidr.\n\n" +
                "CLI Example: orch '*' network.ip_addrs6", [Opt("interface"), Opt("include_loopback", false), Opt("cidr")],
                (c, _) => Addresses(c, AddressFamily.InterNetworkV6)),
            new("ping", "Send ICMP echo requests to a host; returns a ping-style report, or True/False with return_boolean=True.\n\n" +
                "CLI Example: orch '*' network.ping archlinux.org", [Req("host"), Opt("timeout", false), Opt("return_boolean", false)], PingAsync),
            new("subnets", "Return the IPv4 subnets (CIDR) the minion's non-loopback interfaces are on.\n\nCLI Example: orch '*' network.subnets",
                [Opt("interfaces")], Subnets),
        ];
    }

    public string Doc => "Query network information: addresses, interfaces, hostname; ping hosts.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static Task<object?> Addresses(ModuleCall call, AddressFamily family)
    {
        var iface = call.GetString("interface");
        var includeLoopback = call.GetBool("include_loopback");
        var cidr = call.GetString("cidr");
        var type = call.GetString("type");
        var addresses = HostInterfaces.Addresses(family)
            .Where(a => iface is null || a.Interface == iface)
            .Select(a => a.Address)
            .Where(a => includeLoopback || !IPAddress.IsLoopback(a))
            .Where(a => cidr is null || HostInterfaces.InCidr(a, cidr))
            .Where(a => type switch
            {
                null => true,
                "private" => IsPrivate(a),
                "public" => !IsPrivate(a),
                _ => throw new ModuleException($"Invalid type '{type}': use 'public' or 'private'"),
            })
            .Select(HostInterfaces.WithoutScope)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Cast<object?>()
            .ToList();
        return Task.FromResult<object?>(addresses);
    }

    private static bool IsPrivate(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || IPAddress.IsLoopback(address) || (address.GetAddressBytes()[0] & 0xFE) == 0xFC;
        }
        return new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10" }
            .Any(range => HostInterfaces.InCidr(address, range));
    }

    private static Task<object?> Hwaddr(ModuleCall call, CancellationToken cancellationToken)
    {
        var name = call.RequireString("iface");
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name);
        return Task.FromResult<object?>(nic is null ? null : HostInterfaces.HwAddr(nic));
    }

    private static async Task<object?> GetFqdnAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var host = Dns.GetHostName();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            return (await Dns.GetHostEntryAsync(host, timeout.Token).ConfigureAwait(false)).HostName;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return host;
        }
    }

    private static Task<object?> Subnets(ModuleCall call, CancellationToken cancellationToken)
    {
        var only = call.GetList("interfaces")?.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)).ToHashSet();
        var subnets = HostInterfaces.Addresses(AddressFamily.InterNetwork)
            .Where(a => !IPAddress.IsLoopback(a.Address) && (only is null || only.Contains(a.Interface)))
            .Select(a => $"{Network(a.Address, a.PrefixLength)}/{a.PrefixLength}")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Cast<object?>()
            .ToList();
        return Task.FromResult<object?>(subnets);
    }

    private static IPAddress Network(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < 32; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPAddress(bytes);
    }

    private static async Task<object?> PingAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var host = call.RequireString("host");
        var timeoutSeconds = call["timeout"] is bool ? 2 : call.GetDouble("timeout") ?? 2;
        var returnBoolean = call.GetBool("return_boolean");
        const int count = 4;
        var replies = new List<PingReply>();
        try
        {
            using var ping = new Ping();
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                replies.Add(await ping.SendPingAsync(host, TimeSpan.FromSeconds(timeoutSeconds), cancellationToken: cancellationToken)
                    .ConfigureAwait(false));
                if (returnBoolean && replies[^1].Status == IPStatus.Success)
                {
                    return true;
                }
            }
        }
        catch (PingException e)
        {
            if (returnBoolean)
            {
                return false;
            }
            throw new ModuleException($"ping: {host}: {e.InnerException?.Message ?? e.Message}", e);
        }
        if (returnBoolean)
        {
            return replies.Any(r => r.Status == IPStatus.Success);
        }
        var received = replies.Where(r => r.Status == IPStatus.Success).ToList();
        var lines = new List<string> { $"PING {host}" };
        lines.AddRange(replies.Select((r, i) => r.Status == IPStatus.Success
            ? $"reply from {r.Address}: icmp_seq={i + 1} time={r.RoundtripTime} ms"
            : $"no reply: icmp_seq={i + 1} status={r.Status}"));
        lines.Add(string.Empty);
        lines.Add($"--- {host} ping statistics ---");
        lines.Add($"{count} packets transmitted, {received.Count} received, {(count - received.Count) * 100 / count}% packet loss");
        if (received.Count > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"rtt min/avg/max = {received.Min(r => r.RoundtripTime)}/{received.Average(r => r.RoundtripTime):0.###}/{received.Max(r => r.RoundtripTime)} ms"));
        }
        return string.Join('\n', lines);
    }
}
