using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch run FUN ARGS</c>: a runner on the master (salt-run): jobs.*, manage.*.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        var (args, stdout, stderr) = (cli.Args, cli.Stdout, cli.Stderr);
        // A runner returns one value, not one per minion: print it as a single document.
        var output = OutputSettings.From(args, staticByDefault: true);
        var positional = args.Positional;
        if (positional.Count == 0)
        {
            throw new UsageException("no runner function given (e.g. orch run jobs.list_jobs)");
        }
        var function = positional[0];
        var call = CallArguments.Parse(positional.Skip(1));
        var config = CliConfig.Load(args.ConfigDir);
        cli.Log.Debug("Running runner {Function} through the master's socket {Socket}", function, config.SocketPath);
        await using var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false);
        if (function == "state.event")
        {
            return await StreamEventsAsync(client, call, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        var result = await client.CallAsync("runner", new()
        {
            ["fun"] = function,
            ["arg"] = call.Args,
            ["kwarg"] = call.Kwargs,
        }, cancellationToken).ConfigureAwait(false);
        output.Write(stdout, result.GetValueOrDefault("return"), output.OutputterFor(result.GetValueOrDefault("out") as string));
        return result.GetValueOrDefault("retcode") is long retcode and not 0 ? 1 : 0;
    }

    /// <summary>
    /// <c>orch run state.event [tagmatch] [count=N] [pretty=True] [quiet=True]</c>, as Salt's runner prints: the tag, a tab,
    /// then the data as Python's json.dumps writes it (with <c>pretty</c>: keys sorted, indented by 4). Stops after
    /// <c>count</c> matching events when it is positive.
    /// </summary>
    private static async Task<int> StreamEventsAsync(
        MasterClient client, CallArguments call, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var tagmatch = Argument(call, "tagmatch", 0) is { } t ? DataTree.KeyToString(t) : "*";
        var count = Argument(call, "count", 1) switch
        {
            null => -1L,
            long n => n,
            var other => throw new UsageException($"state.event: count must be a number, got '{other}'"),
        };
        var pretty = DataTree.IsTruthy(call.Kwargs.GetValueOrDefault("pretty"));
        var quiet = DataTree.IsTruthy(call.Kwargs.GetValueOrDefault("quiet"));
        if (Argument(call, "node", 99) is { } node && DataTree.KeyToString(node) != "master")
        {
            throw new UsageException("state.event: only node=master is served here (the master's bus)");
        }
        var seen = 0L;
        await foreach (var e in client.StreamAsync("events", new() { ["tagmatch"] = tagmatch }, cancellationToken).ConfigureAwait(false))
        {
            if (e.GetValueOrDefault("type") is "dropped")
            {
                await stderr.WriteLineAsync($"orch: this stream fell behind and lost {e.GetValueOrDefault("count")} event(s) so far").ConfigureAwait(false);
                continue;
            }
            if (e.GetValueOrDefault("type") is not "event")
            {
                continue;
            }
            if (!quiet)
            {
                var data = PythonJson.Dumps(e.GetValueOrDefault("data"), sortKeys: pretty, indent: pretty ? 4 : null);
                await stdout.WriteLineAsync($"{e["tag"]}\t{data}").ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            if (count > 0 && ++seen >= count)
            {
                break;
            }
        }
        return 0;
    }

    private static object? Argument(CallArguments call, string name, int position) =>
        call.Kwargs.TryGetValue(name, out var value) ? value : call.Args.ElementAtOrDefault(position);
}
