using System.Net;
using System.Net.Sockets;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Host naming grains as Salt's <c>hostname</c> and <c>ip_fqdn</c>: <c>host</c>, <c>nodename</c>, <c>localhost</c>, <c>fqdn</c>, <c>domain</c>, <c>fqdn_ip4</c>, <c>fqdn_ip6</c>.</summary>
public sealed class HostGrains : IGrainProvider
{
    // A broken resolver must not hold up minion start-up.
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<string> _hostName;
    private readonly Func<string, CancellationToken, Task<string>> _resolve;
    private readonly Func<string, AddressFamily, CancellationToken, Task<IPAddress[]>> _addresses;
    private readonly Func<AddressFamily, bool> _hasAddresses;

    public HostGrains()
        : this(Dns.GetHostName, ResolveCanonicalNameAsync, AddressLookup.ResolveAsync, family => HostInterfaces.Addresses(family).Any())
    {
    }

    /// <summary>Uses the given hostname source and resolvers (tests).</summary>
    public HostGrains(
        Func<string> hostName,
        Func<string, CancellationToken, Task<string>> resolve,
        Func<string, AddressFamily, CancellationToken, Task<IPAddress[]>>? addresses = null,
        Func<AddressFamily, bool>? hasAddresses = null)
    {
        _hostName = hostName;
        _resolve = resolve;
        _addresses = addresses ?? ((_, _, _) => Task.FromResult(Array.Empty<IPAddress>()));
        _hasAddresses = hasAddresses ?? (_ => true);
    }

    public string Name => "host";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var nodename = _hostName();
        // salt.utils.network.get_fqhostname: the resolver's canonical name for the hostname, else the hostname itself.
        var fqdn = await WithTimeoutAsync(ct => _resolve(nodename, ct), cancellationToken).ConfigureAwait(false) is { Length: > 0 } resolved
            ? resolved
            : nodename;
        var dot = fqdn.IndexOf('.');
        return new Dictionary<string, object?>
        {
            ["nodename"] = nodename,
            ["localhost"] = nodename,
            ["fqdn"] = fqdn,
            ["host"] = dot < 0 ? fqdn : fqdn[..dot],
            ["domain"] = dot < 0 ? string.Empty : fqdn[(dot + 1)..],
            ["fqdn_ip4"] = await FqdnAddressesAsync(fqdn, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false),
            ["fqdn_ip6"] = await FqdnAddressesAsync(fqdn, AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The fqdn's addresses of one family (getaddrinfo), or none when the host has no address of that family.</summary>
    private async Task<List<object?>> FqdnAddressesAsync(string fqdn, AddressFamily family, CancellationToken cancellationToken)
    {
        if (!_hasAddresses(family))
        {
            return [];
        }
        var found = await WithTimeoutAsync(ct => _addresses(fqdn, family, ct), cancellationToken).ConfigureAwait(false) ?? [];
        return found.Where(a => a.AddressFamily == family)
            .Select(HostInterfaces.WithoutScope)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Cast<object?>()
            .ToList();
    }

    private static async Task<T?> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> lookup, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            return await lookup(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ArgumentException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Unresolvable: Salt falls back to the hostname, or to no addresses.
            return null;
        }
    }

    private static async Task<string> ResolveCanonicalNameAsync(string host, CancellationToken cancellationToken) =>
        (await Dns.GetHostEntryAsync(host, cancellationToken).ConfigureAwait(false)).HostName;
}
