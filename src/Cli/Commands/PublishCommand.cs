using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch TARGET FUN ARGS</c>: publish a job, print returns as they arrive, list minions that did not return.</summary>
internal static class PublishCommand
{
    public static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        var (args, stdout, stderr) = (cli.Args, cli.Stdout, cli.Stderr);
        var targetType = args.Options.Select(o => CliOptionTable.TargetType(o.Spec.Canonical)).LastOrDefault(t => t is not null) ?? "glob";
        var timeout = args.PositiveInt("--timeout");
        var async = args.Has("--async");
        var batch = args.Value("--batch");
        var batchWait = args.Value("--batch-wait") is { } wait
            ? double.TryParse(wait, System.Globalization.CultureInfo.InvariantCulture, out var w) && w >= 0
                ? w : throw new UsageException("--batch-wait needs a number of seconds")
            : 0.0;
        var subset = args.PositiveInt("--subset");
        var display = new PublishDisplay(
            args.Has("--verbose"), args.Has("--progress"), args.Has("--hide-timeout"), args.Has("--summary"), OutputSettings.From(args));
        var output = display.Output;
        var positional = args.Positional;
        if (positional.Count == 0)
        {
            throw new UsageException("no target given");
        }
        if (positional.Count == 1)
        {
            throw new UsageException("no function given");
        }
        if (args.Has("--failhard") && batch is null)
        {
            throw new UsageException("--failhard goes with --batch");
        }
        if (subset is not null && (batch is not null || async))
        {
            throw new UsageException("--subset cannot be combined with --batch or --async");
        }
        var target = positional[0];
        var function = positional[1];
        var call = CallArguments.Parse(positional.Skip(2));
        var config = CliConfig.Load(args.ConfigDir);
        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tgt"] = target,
            ["tgt_type"] = targetType,
            ["fun"] = function,
            ["arg"] = call.Args,
            ["kwarg"] = call.Kwargs,
            ["timeout"] = (long)(timeout ?? config.Timeout),
            ["async"] = async,
            ["user"] = Environment.UserName,
        };
        if (batch is not null)
        {
            if (async)
            {
                throw new UsageException("--batch and --async cannot be combined");
            }
            return await BatchRun.RunAsync(config, request, batch, TimeSpan.FromSeconds(batchWait), args.Has("--failhard"), display, stdout, stderr, cancellationToken)
                .ConfigureAwait(false);
        }
        await using var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false);
        cli.Log.Debug("Connected to the master's socket {Socket} with the configuration in {ConfigDir}", config.SocketPath, args.ConfigDir);
        if (subset is not null && !await PickSubsetAsync(client, request, subset.Value, cli, cancellationToken).ConfigureAwait(false))
        {
            return 2;
        }
        // The master ends the stream when the job's timeout passes (after asking still-pending minions whether the job runs,
        // which takes up to its gather_job_timeout); a master that is frozen never does. Wait that long and a grace period
        // after the master's last word, then say so and fail, rather than hang.
        var waitFor = TimeSpan.FromSeconds(Math.Max(1, (long)request["timeout"]!)) + AnswerGrace;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(waitFor);
        void Heard(Dictionary<string, object?> message)
        {
            if (message.GetValueOrDefault("gather_job_timeout") is long gather)
            {
                waitFor = TimeSpan.FromSeconds(Math.Max(1, (long)request["timeout"]!) + gather) + AnswerGrace;
            }
            deadline.CancelAfter(waitFor);
        }
        try
        {
            return await StreamAsync(client, request, display, cli, Heard, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            display.Finish(stdout, TextWriter.Null);
            stderr.WriteLine($"orch: the master did not answer within {waitFor.TotalSeconds:0}s (timeout {request["timeout"]}s and grace): is it stopped or overloaded?");
            return 1;
        }
    }

    /// <summary>How long after the job's timeout the CLI still waits for the master's end of the stream.</summary>
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>--subset N</c>: N of the targeted minions, picked at random among those up (Salt picks among those that answer),
    /// then targeted by list. False when no minion matched.
    /// </summary>
    private static async Task<bool> PickSubsetAsync(
        MasterClient client, Dictionary<string, object?> request, int size, CliContext cli, CancellationToken cancellationToken)
    {
        var targeted = await PublishDisplay.ExpectedMinionsAsync(client, request, cancellationToken).ConfigureAwait(false);
        if (targeted.Count == 0)
        {
            cli.Stderr.WriteLine(PublishDisplay.NoMatch);
            return false;
        }
        var up = await client.CallAsync("runner", new() { ["fun"] = "manage.up", ["arg"] = new List<object?>(), ["kwarg"] = new Dictionary<string, object?>() }, cancellationToken)
            .ConfigureAwait(false);
        var upIds = (up.GetValueOrDefault("return") as List<object?> ?? []).Select(DataTree.KeyToString).ToHashSet(StringComparer.Ordinal);
        var pool = targeted.Where(upIds.Contains).ToList() is { Count: > 0 } alive ? alive : targeted;
        var picked = pool.OrderBy(_ => Random.Shared.Next()).Take(size).Order(StringComparer.Ordinal).ToList();
        cli.Log.Debug("Subset of {Size} picked from {Pool} minions up among {Targeted} targeted: {Picked}", size, pool.Count, targeted.Count, picked);
        request["tgt"] = string.Join(",", picked);
        request["tgt_type"] = "list";
        return true;
    }

    private static async Task<int> StreamAsync(
        MasterClient client, Dictionary<string, object?> request, PublishDisplay display, CliContext cli,
        Action<Dictionary<string, object?>> heard, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (cli.Stdout, cli.Stderr);
        await foreach (var message in client.StreamAsync("publish", request, cancellationToken).ConfigureAwait(false))
        {
            heard(message);
            switch (message.GetValueOrDefault("type"))
            {
                case "start":
                    var minions = message.GetValueOrDefault("minions") as List<object?> ?? [];
                    cli.Log.Debug("Job {Jid} published to {Count} minions", message.GetValueOrDefault("jid"), minions.Count);
                    if (minions.Count == 0)
                    {
                        stderr.WriteLine(PublishDisplay.NoMatch);
                        return 2;
                    }
                    if ((bool)request["async"]!)
                    {
                        stdout.WriteLine($"Executed command with job ID: {message["jid"]}");
                    }
                    else if (display.Verbose)
                    {
                        stdout.WriteLine($"Executing job with jid {message["jid"]}");
                        stdout.WriteLine("-------------------------------------------");
                    }
                    display.Started(minions.Count, stderr);
                    break;
                case "return":
                    cli.Log.Debug("Return from {Minion} with retcode {Retcode}", message.GetValueOrDefault("id"), message.GetValueOrDefault("retcode"));
                    display.Returned((string)message["id"]!, message, stdout);
                    break;
                case "end":
                    display.DidNotReturn(PublishDisplay.Ids(message, "missing"), PublishDisplay.Ids(message, "not_connected"), stdout);
                    break;
            }
        }
        return display.Finish(stdout, stderr);
    }
}
