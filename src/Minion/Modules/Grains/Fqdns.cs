using System.Net;
using System.Net.Sockets;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>
/// The <c>fqdns</c> grain: the sorted names that the host's non-loopback addresses resolve back to (Salt's <c>network.fqdns</c>);
/// an empty list when <c>enable_fqdns_grains</c> is False, as Salt then skips the reverse lookups.
/// </summary>
public sealed class FqdnsGrains : IGrainProvider
{
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<IEnumerable<IPAddress>> _addresses;
    private readonly Func<IPAddress, CancellationToken, Task<string>> _reverse;

    public FqdnsGrains()
        : this(
            () => HostInterfaces.Addresses(AddressFamily.InterNetwork).Concat(HostInterfaces.Addresses(AddressFamily.InterNetworkV6))
                .Select(a => a.Address),
            async (address, ct) => (await Dns.GetHostEntryAsync(address.ToString(), ct).ConfigureAwait(false)).HostName)
    {
    }

    /// <summary>Uses the given addresses and reverse resolver (tests).</summary>
    public FqdnsGrains(Func<IEnumerable<IPAddress>> addresses, Func<IPAddress, CancellationToken, Task<string>> reverse)
    {
        _addresses = addresses;
        _reverse = reverse;
    }

    public string Name => "fqdns";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (Enabled(context.Opts.GetValueOrDefault("enable_fqdns_grains")))
        {
            var lookups = _addresses().Where(a => !IPAddress.IsLoopback(a)).Distinct().Select(a => LookupAsync(a, cancellationToken)).ToList();
            foreach (var name in await Task.WhenAll(lookups).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(name))
                {
                    names.Add(name);
                }
            }
        }
        return new Dictionary<string, object?> { ["fqdns"] = names.Cast<object?>().ToList() };
    }

    // Salt's default is True on Linux; a YAML "False"/"no" comes through the config as a boolean or a string.
    private static bool Enabled(object? option) => option switch
    {
        null => true,
        bool b => b,
        string s => !(s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase)
            || s.Equals("off", StringComparison.OrdinalIgnoreCase) || s == "0" || s.Length == 0),
        long n => n != 0,
        _ => true,
    };

    private async Task<string?> LookupAsync(IPAddress address, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(LookupTimeout);
            return await _reverse(address, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ArgumentException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // No name for this address: Salt leaves it out.
            return null;
        }
    }
}
