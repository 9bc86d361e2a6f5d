using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Bench.Runner;
using Orchestrator.Bench.Swarm;

namespace Orchestrator.Bench.Events;

/// <summary>
/// The simulated minions of one event run, in <c>orch-bench swarm</c> child processes as in the swarm benchmark:
/// started, awaited until all are authenticated, told to fire, and asked for their counters.
/// </summary>
public sealed class SwarmFleet : IAsyncDisposable
{
    private readonly List<SwarmChild> _children;

    private SwarmFleet(List<SwarmChild> children) => _children = children;

    public double CpuSeconds => _children.Sum(c => c.HasExited ? 0 : c.Stats().CpuSeconds);

    /// <summary>Starts <paramref name="minions"/> simulated minions, <c>swarm-&lt;first&gt;</c> onwards, and waits until all are authenticated.</summary>
    public static async Task<SwarmFleet> StartAsync(
        MasterProcess master, int minions, BenchOptions options, Action<string> log, CancellationToken cancellationToken, int first = 0)
    {
        var shards = (minions + options.ShardSize - 1) / options.ShardSize;
        var children = new List<SwarmChild>();
        var fleet = new SwarmFleet(children);
        var clock = Stopwatch.StartNew();
        try
        {
            for (var s = 0; s < shards; s++)
            {
                var from = (int)((long)minions * s / shards);
                var count = (int)((long)minions * (s + 1) / shards) - from;
                children.Add(SwarmChild.Start(new SwarmSettings(
                    "127.0.0.1", master.RetPort, master.PublishPort, master.Fingerprint, options.KeyDirectory, options.KeyPool, first + from, count,
                    Math.Max(1, Math.Min(options.Loops, count)), options.AuthConcurrency,
                    TimeSpan.FromSeconds(options.HeartbeatSeconds), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10),
                    TimeSpan.FromSeconds(60)), options));
            }
            var limit = TimeSpan.FromSeconds(60 + minions * 0.05);
            while (children.Sum(c => c.Ready) < minions || children.Any(c => c.ReadySeconds is null))
            {
                if (children.Any(c => c.HasExited))
                {
                    throw new InvalidOperationException("a swarm process exited early (see its stderr above)");
                }
                if (clock.Elapsed > limit)
                {
                    throw new TimeoutException($"only {children.Sum(c => c.Ready)}/{minions} simulated minions authenticated within {limit.TotalSeconds:F0}s");
                }
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        log($"  {minions} simulated minions authenticated in {clock.Elapsed.TotalSeconds:F1}s ({shards} swarm process(es))");
        return fleet;
    }

    /// <summary>Has every simulated minion fire <paramref name="load"/>; returns each swarm process's <c>fired</c> report.</summary>
    public async Task<IReadOnlyList<Dictionary<string, long>>> FireAsync(EventLoad load, TimeSpan limit, CancellationToken cancellationToken)
    {
        var replies = await Task.WhenAll(_children.Select(c => c.CommandAsync(load.ToCommand(), "fired ", limit, cancellationToken)))
            .ConfigureAwait(false);
        return [.. replies.Select(r => JsonSerializer.Deserialize<Dictionary<string, long>>(r) ?? [])];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children)
        {
            await child.DisposeAsync().ConfigureAwait(false);
        }
    }
}
