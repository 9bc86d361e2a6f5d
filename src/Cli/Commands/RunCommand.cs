using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch run FUN ARGS</c>: a runner on the master (salt-run): jobs.*, manage.*.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(string[] words, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var args = new CliArgs(words);
        var configDir = CliConfig.DefaultDir;
        // A runner returns one value, not one per minion: print it as a single document.
        var output = new OutputSettings { Static = true };
        var positional = new List<string>();
        foreach (var flag in args.Options(positional))
        {
            if (output.TryParse(flag, args))
            {
                continue;
            }
            configDir = flag is "-c" or "--config-dir" ? args.Value(flag) : throw new UsageException($"unknown option '{flag}'");
        }
        if (positional.Count == 0)
        {
            throw new UsageException("no runner function given (e.g. orch run jobs.list_jobs)");
        }
        var function = positional[0];
        var call = CallArguments.Parse(positional.Skip(1));
        var config = CliConfig.Load(configDir);
        await using var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false);
        if (function == "state.event")
        {
            return await StreamEventsAsync(client, call, stdout, cancellationToken).ConfigureAwait(false);
        }
        var result = await client.CallAsync("runner", new()
        {
            ["fun"] = function,
            ["arg"] = call.Args,
            ["kwarg"] = call.Kwargs,
        }, cancellationToken).ConfigureAwait(false);
        output.Write(stdout, result.GetValueOrDefault("return"));
        return 0;
    }

    private static async Task<int> StreamEventsAsync(MasterClient client, CallArguments call, TextWriter stdout, CancellationToken cancellationToken)
    {
        var tag = call.Kwargs.GetValueOrDefault("tagmatch") as string ?? "";
        await foreach (var e in client.StreamAsync("events", new() { ["tag"] = tag.TrimEnd('*') }, cancellationToken).ConfigureAwait(false))
        {
            stdout.WriteLine($"{e["tag"]}\t{Shared.Data.DataTree.ToJson(e.GetValueOrDefault("data"), indent: false)}");
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }
}
