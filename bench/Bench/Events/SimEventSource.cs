using Orchestrator.Bench.Runner;
using Orchestrator.Bench.Swarm;

namespace Orchestrator.Bench.Events;

/// <summary>
/// One simulated minion in this process (its own <see cref="SwarmLoop"/>), authenticated against the master, that fires
/// single events on demand: the reactor benchmark's event source, with the send moment known to this process.
/// </summary>
public sealed class SimEventSource : IDisposable
{
    private readonly SwarmLoop _loop;
    private readonly SwarmCounters _counters;

    private SimEventSource(SwarmLoop loop, SwarmCounters counters)
    {
        _loop = loop;
        _counters = counters;
    }

    /// <summary>The simulated minion's id (key 0 of the key cache).</summary>
    public static string Id => "swarm-00000";

    public long Acked => Interlocked.Read(ref _counters.EventsAcked);

    public long Failed => Interlocked.Read(ref _counters.EventsRefused) + Interlocked.Read(ref _counters.EventsTimedOut)
        + Interlocked.Read(ref _counters.EventsUnsent);

    public static async Task<SimEventSource> StartAsync(MasterProcess master, BenchOptions options, CancellationToken cancellationToken)
    {
        var counters = new SwarmCounters();
        var loop = new SwarmLoop(0, new SwarmSettings(
            "127.0.0.1", master.RetPort, master.PublishPort, master.Fingerprint, options.KeyDirectory, 0, 0, 1, 1, 1,
            TimeSpan.FromSeconds(options.HeartbeatSeconds), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)),
            counters, 1);
        var source = new SimEventSource(loop, counters);
        loop.Run();
        loop.Adopt(0, KeyCache.Load(options.KeyDirectory, 0));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (Interlocked.Read(ref counters.Ready) < 1)
            {
                await Task.Delay(10, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            source.Dispose();
            throw new TimeoutException("the simulated event source did not authenticate within 60 s");
        }
        return source;
    }

    /// <summary>Hands one event (<c>bench/reactor/swarm-00000</c>, data <c>{seq, sent_us}</c>) to the minion's loop, which seals and sends it.</summary>
    public Task FireAsync(string tagPrefix, long seq) => _loop.StartFiringAsync(new EventLoad(1, 0, 1, tagPrefix, seq));

    public void Dispose() => _loop.Dispose();
}
