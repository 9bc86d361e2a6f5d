using System.Net.Sockets;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// Publishes the soak's jobs on the master's IPC socket (what <c>orch --async</c> does), each bounded in time, and writes
/// each into the ledger with its jid and expected minions. Publishing is held while the chaos has the master down or frozen.
/// </summary>
public sealed class JobDriver(SoakCluster cluster, SoakLedger ledger, SoakOptions options, int seed)
{
    private static readonly TimeSpan PublishLimit = TimeSpan.FromSeconds(15);

    private readonly Random _random = new(seed);
    private volatile bool _held;

    /// <summary>Set by the chaos while the master is restarting or frozen: a publish then would hang or fail.</summary>
    public bool Held
    {
        get => _held;
        set => _held = value;
    }

    /// <summary>A random mix of test.ping, cmd.run and test.sleep jobs to random subsets of the real minions, until <paramref name="end"/>.</summary>
    public async Task RunAsync(DateTime end, CancellationToken cancellationToken)
    {
        var ids = cluster.Minions.Select(m => m.Id).ToList();
        while (DateTime.UtcNow < end && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(options.JobInterval * (0.5 + _random.NextDouble()), cancellationToken).ConfigureAwait(false);
            if (Held)
            {
                continue;
            }
            var targets = ids.Where(_ => _random.NextDouble() < 0.6).ToList();
            if (targets.Count == 0)
            {
                targets.Add(ids[_random.Next(ids.Count)]);
            }
            var roll = _random.NextDouble();
            var kind = roll < 0.3 ? JobKind.Ping : roll < 0.7 ? JobKind.Cmd : JobKind.Sleep;
            await PublishAsync(kind, targets, 2 + _random.Next(4), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>test.ping to every simulated minion every <see cref="SoakOptions.SwarmInterval"/>, until <paramref name="end"/>.</summary>
    public async Task RunSwarmAsync(DateTime end, CancellationToken cancellationToken)
    {
        while (DateTime.UtcNow < end && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(options.SwarmInterval, cancellationToken).ConfigureAwait(false);
            if (!Held)
            {
                await PublishAsync(JobKind.Swarm, [], 0, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Publishes one job; the ledger gets it whether or not the master answered (then with its error).</summary>
    public async Task<SoakJob> PublishAsync(JobKind kind, IReadOnlyList<string> targets, int sleepSeconds, CancellationToken cancellationToken)
    {
        var (function, arg) = kind switch
        {
            JobKind.Cmd => ("cmd.run", (object?)null),
            JobKind.Sleep => ("test.sleep", (long)sleepSeconds),
            _ => ("test.ping", null),
        };
        var job = ledger.NewJob(kind, function);
        var args = kind switch
        {
            // One line per run, in a file of the minion's own (its SOAK_RUNS): the audit counts the token's lines.
            JobKind.Cmd => new List<object?> { $"echo {job.Token} >> \"$SOAK_RUNS\"" },
            JobKind.Sleep => [arg],
            _ => [],
        };
        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["fun"] = function,
            ["tgt"] = kind == JobKind.Swarm ? "swarm-*" : string.Join(',', targets),
            ["tgt_type"] = kind == JobKind.Swarm ? "glob" : "list",
            ["arg"] = args,
            ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
            // The token as the job's user: a job whose publish timed out can still be found in the job cache.
            ["user"] = job.Token,
            ["timeout"] = (long)options.JobTimeoutSeconds,
            ["async"] = true,
        };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(PublishLimit);
        try
        {
            await using var client = await MasterClient.ConnectAsync(cluster.SocketPath, limit.Token).ConfigureAwait(false);
            await foreach (var message in client.StreamAsync("publish", request, limit.Token).ConfigureAwait(false))
            {
                if (message.GetValueOrDefault("type") is "start")
                {
                    job.Jid = message.GetValueOrDefault("jid") as string;
                    job.Expected = (message.GetValueOrDefault("minions") as List<object?> ?? []).Select(m => m?.ToString() ?? "").ToList();
                }
            }
        }
        catch (Exception e) when (e is MasterUnavailableException or MasterRequestException or IOException or SocketException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            job.PublishError = e is OperationCanceledException ? $"no answer within {PublishLimit.TotalSeconds:F0}s" : e.Message;
        }
        return job;
    }
}
