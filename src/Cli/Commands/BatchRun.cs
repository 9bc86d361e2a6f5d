using System.Threading.Channels;
using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// Salt's batch mode (<c>-b N</c> or <c>-b N%</c>): at most N minions run the job at once; as each returns (and
/// <c>--batch-wait</c> seconds pass), the next minion in order starts. Each wave is its own job, targeted by list. With
/// <c>--failhard</c>, a minion that fails stops new waves; those running finish.
/// </summary>
internal static class BatchRun
{
    public static async Task<int> RunAsync(
        CliConfig config, Dictionary<string, object?> request, string batch, TimeSpan batchWait, bool failhard, PublishDisplay display,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        List<string> minions;
        await using (var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false))
        {
            minions = await PublishDisplay.ExpectedMinionsAsync(client, request, cancellationToken).ConfigureAwait(false);
        }
        if (minions.Count == 0)
        {
            stderr.WriteLine(PublishDisplay.NoMatch);
            return 2;
        }
        var size = BatchSize(batch, minions.Count);
        var queue = new Queue<string>(minions);
        var events = Channel.CreateUnbounded<(string Kind, string Id, Dictionary<string, object?> Message)>();
        var waves = new List<Task>();
        var running = 0;
        var stopped = false;
        while ((queue.Count > 0 && !stopped) || running > 0)
        {
            if (queue.Count > 0 && !stopped && running < size)
            {
                var wave = new List<string>();
                while (queue.Count > 0 && running + wave.Count < size)
                {
                    wave.Add(queue.Dequeue());
                }
                running += wave.Count;
                stdout.WriteLine($"\nExecuting run on [{string.Join(", ", wave.Select(m => $"'{m}'"))}]\n");
                waves.Add(RunWaveAsync(config, request, wave, events.Writer, cancellationToken));
                continue;
            }
            var (kind, id, message) = await events.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            running--;
            if (kind == "return")
            {
                display.Returned(id, message, stdout);
            }
            else
            {
                display.DidNotReturn([id], [], stdout);
            }
            if (failhard && display.Exit != 0 && !stopped)
            {
                stopped = true;
                stderr.WriteLine($"ERROR: Minion {id} failed and --failhard is set: no new batch starts ({queue.Count} minion(s) not run: {string.Join(", ", queue)})");
            }
            if (batchWait > TimeSpan.Zero && !stopped)
            {
                await Task.Delay(batchWait, cancellationToken).ConfigureAwait(false);
            }
        }
        await Task.WhenAll(waves).ConfigureAwait(false);
        return display.Finish(stdout, stderr);
    }

    /// <summary>N, or N% of the matched minions rounded up (at least one).</summary>
    public static int BatchSize(string batch, int total)
    {
        if (batch.EndsWith('%') && double.TryParse(batch[..^1], System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent > 0)
        {
            return Math.Max(1, (int)Math.Ceiling(total * Math.Min(percent, 100) / 100));
        }
        return int.TryParse(batch, out var size) && size > 0
            ? size
            : throw new UsageException($"--batch must be a positive number or percentage, not '{batch}'");
    }

    private static async Task RunWaveAsync(
        CliConfig config, Dictionary<string, object?> request, List<string> wave,
        ChannelWriter<(string, string, Dictionary<string, object?>)> events, CancellationToken cancellationToken)
    {
        var waveRequest = new Dictionary<string, object?>(request, StringComparer.Ordinal)
        {
            ["tgt"] = string.Join(",", wave),
            ["tgt_type"] = "list",
            ["async"] = false,
        };
        var pending = new HashSet<string>(wave, StringComparer.Ordinal);
        await using var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false);
        await foreach (var message in client.StreamAsync("publish", waveRequest, cancellationToken).ConfigureAwait(false))
        {
            if (message.GetValueOrDefault("type") is "return" && message.GetValueOrDefault("id") is string id && pending.Remove(id))
            {
                await events.WriteAsync(("return", id, message), cancellationToken).ConfigureAwait(false);
            }
        }
        // Whoever is still pending when the wave's stream ends did not return in time.
        foreach (var id in pending)
        {
            await events.WriteAsync(("missing", id, new Dictionary<string, object?>()), cancellationToken).ConfigureAwait(false);
        }
    }
}
