using System.Net;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Host naming grains: <c>host</c>, <c>nodename</c>, <c>localhost</c>, <c>fqdn</c>, <c>domain</c>.</summary>
public sealed class HostGrains : IGrainProvider
{
    // A broken resolver must not hold up minion start-up.
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<string> _hostName;
    private readonly Func<string, CancellationToken, Task<string>> _resolve;

    public HostGrains()
        : this(Dns.GetHostName, ResolveCanonicalNameAsync)
    {
    }

    /// <summary>Uses the given hostname source and resolver (tests).</summary>
    public HostGrains(Func<string> hostName, Func<string, CancellationToken, Task<string>> resolve)
    {
        _hostName = hostName;
        _resolve = resolve;
    }

    public string Name => "host";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var nodename = _hostName();
        var fqdn = nodename;
        if (!nodename.Contains('.'))
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ResolveTimeout);
                var resolved = await _resolve(nodename, timeout.Token).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(resolved) && resolved.StartsWith(nodename, StringComparison.OrdinalIgnoreCase))
                {
                    fqdn = resolved;
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Unresolvable: the fqdn is the plain hostname, as Salt reports it.
            }
        }
        var dot = fqdn.IndexOf('.');
        return new Dictionary<string, object?>
        {
            ["nodename"] = nodename,
            ["localhost"] = nodename,
            ["fqdn"] = fqdn,
            ["host"] = dot < 0 ? fqdn : fqdn[..dot],
            ["domain"] = dot < 0 ? string.Empty : fqdn[(dot + 1)..],
        };
    }

    private static async Task<string> ResolveCanonicalNameAsync(string host, CancellationToken cancellationToken) =>
        (await Dns.GetHostEntryAsync(host, cancellationToken).ConfigureAwait(false)).HostName;
}
