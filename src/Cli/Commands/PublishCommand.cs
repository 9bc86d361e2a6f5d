using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch TARGET FUN ARGS</c>: publish a job, print returns as they arrive, list minions that did not return.</summary>
internal static class PublishCommand
{
    private static readonly Dictionary<string, string> TargetFlags = new(StringComparer.Ordinal)
    {
        ["-L"] = "list", ["--list"] = "list",
        ["-E"] = "pcre", ["--pcre"] = "pcre",
        ["-G"] = "grain", ["--grain"] = "grain",
        ["-P"] = "grain_pcre", ["--grain-pcre"] = "grain_pcre",
        ["-I"] = "pillar", ["--pillar"] = "pillar",
        ["-J"] = "pillar_pcre", ["--pillar-pcre"] = "pillar_pcre",
        ["-S"] = "ipcidr", ["--ipcidr"] = "ipcidr",
        ["-N"] = "nodegroup", ["--nodegroup"] = "nodegroup",
        ["-C"] = "compound", ["--compound"] = "compound",
    };

    public static async Task<int> RunAsync(string[] words, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var args = new CliArgs(words);
        var configDir = CliConfig.DefaultDir;
        var targetType = "glob";
        int? timeout = null;
        var async = false;
        var verbose = false;
        var progress = false;
        string? batch = null;
        var batchWait = 0.0;
        var output = new OutputSettings();
        var positional = new List<string>();
        foreach (var flag in args.Options(positional))
        {
            if (TargetFlags.TryGetValue(flag, out var type))
            {
                targetType = type;
                continue;
            }
            if (output.TryParse(flag, args))
            {
                continue;
            }
            switch (flag)
            {
                case "-c" or "--config-dir":
                    configDir = args.Value(flag);
                    break;
                case "-t" or "--timeout":
                    timeout = int.TryParse(args.Value(flag), out var t) && t > 0 ? t : throw new UsageException("--timeout needs a positive number of seconds");
                    break;
                case "--async":
                    async = true;
                    break;
                case "-v" or "--verbose":
                    verbose = true;
                    break;
                case "-p" or "--progress":
                    progress = true;
                    break;
                case "-b" or "--batch" or "--batch-size":
                    batch = args.Value(flag);
                    break;
                case "--batch-wait":
                    batchWait = double.TryParse(args.Value(flag), System.Globalization.CultureInfo.InvariantCulture, out var w) && w >= 0
                        ? w : throw new UsageException("--batch-wait needs a number of seconds");
                    break;
                default:
                    throw new UsageException($"unknown option '{flag}'");
            }
        }
        if (positional.Count == 0)
        {
            throw new UsageException("no target given");
        }
        if (positional.Count == 1)
        {
            throw new UsageException("no function given");
        }
        var target = positional[0];
        var function = positional[1];
        var call = CallArguments.Parse(positional.Skip(2));
        var config = CliConfig.Load(configDir);
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
            return await BatchRun.RunAsync(config, request, batch, TimeSpan.FromSeconds(batchWait), output, stdout, stderr, cancellationToken)
                .ConfigureAwait(false);
        }
        await using var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false);
        var progressLine = new ProgressLine(stderr, progress);
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
            return await StreamAsync(client, request, output, verbose, async, progressLine, stdout, stderr, Heard, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            progressLine.Clear();
            stderr.WriteLine($"orch: the master did not answer within {waitFor.TotalSeconds:0}s (timeout {request["timeout"]}s and grace): is it stopped or overloaded?");
            return 1;
        }
    }

    /// <summary>How long after the job's timeout the CLI still waits for the master's end of the stream.</summary>
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);

    private static async Task<int> StreamAsync(
        MasterClient client, Dictionary<string, object?> request, OutputSettings output, bool verbose, bool async, ProgressLine progressLine,
        TextWriter stdout, TextWriter stderr, Action<Dictionary<string, object?>> heard, CancellationToken cancellationToken)
    {
        var exit = 0;
        var collected = new Dictionary<string, object?>(StringComparer.Ordinal);
        var highstate = false;
        var nonZero = false;
        await foreach (var message in client.StreamAsync("publish", request, cancellationToken).ConfigureAwait(false))
        {
            heard(message);
            switch (message.GetValueOrDefault("type"))
            {
                case "start":
                    var minions = message.GetValueOrDefault("minions") as List<object?> ?? [];
                    if (minions.Count == 0)
                    {
                        stderr.WriteLine("No minions matched the target. No command was sent, no jid was assigned.");
                        return 2;
                    }
                    if (async)
                    {
                        stdout.WriteLine($"Executed command with job ID: {message["jid"]}");
                    }
                    else if (verbose)
                    {
                        stdout.WriteLine($"Executing job with jid {message["jid"]}");
                        stdout.WriteLine("-------------------------------------------");
                    }
                    progressLine.Start(minions.Count);
                    break;
                case "return":
                    var id = (string)message["id"]!;
                    var retcode = message.GetValueOrDefault("retcode") as long? ?? 0;
                    // Like salt: any minion failing makes the whole command fail (EX_GENERIC).
                    exit = Math.Max(exit, retcode == 0 ? 0 : 1);
                    nonZero |= retcode != 0;
                    highstate |= message.GetValueOrDefault("out") is "highstate";
                    var single = new Dictionary<string, object?>(StringComparer.Ordinal) { [id] = message.GetValueOrDefault("return") };
                    progressLine.Clear();
                    if (output.Static)
                    {
                        collected[id] = message.GetValueOrDefault("return");
                    }
                    else
                    {
                        output.Write(stdout, single, OutputFor(output, message));
                    }
                    progressLine.Returned(id);
                    break;
                case "end":
                    progressLine.Clear();
                    // Salt's two words: [No response] for a minion that was up but did not answer in time, [Not connected]
                    // for one the master knew to be down, which nobody waited for.
                    var missing = Ids(message, "missing").Select(id => (id, "Minion did not return. [No response]"))
                        .Concat(Ids(message, "not_connected").Select(id => (id, "Minion did not return. [Not connected]")))
                        .OrderBy(m => m.id, StringComparer.Ordinal).ToList();
                    foreach (var (id2, text) in missing)
                    {
                        collected[id2] = text;
                        if (!output.Static)
                        {
                            output.Write(stdout, new Dictionary<string, object?>(StringComparer.Ordinal) { [id2] = text },
                                output.Format == "highstate" ? "nested" : null);
                        }
                    }
                    if (output.Static && collected.Count > 0)
                    {
                        output.Write(stdout, collected, highstate && output.Format == "nested" ? "highstate" : null);
                    }
                    if (missing.Count > 0)
                    {
                        if (verbose)
                        {
                            stderr.WriteLine($"Minions that did not return: {string.Join(", ", missing.Select(m => m.id))}");
                        }
                        exit = Math.Max(exit, 1);
                    }
                    break;
            }
        }
        if (nonZero)
        {
            // Salt's line, on stderr, so scripts reading stdout get only the returns.
            stderr.WriteLine("ERROR: Minions returned with non-zero exit code");
        }
        return exit;
    }

    private static IEnumerable<string> Ids(Dictionary<string, object?> message, string key) =>
        (message.GetValueOrDefault(key) as List<object?> ?? []).Select(DataTree.KeyToString);

    /// <summary>State runs print with the highstate outputter unless the user chose another format.</summary>
    internal static string? OutputFor(OutputSettings output, Dictionary<string, object?> message) =>
        message.GetValueOrDefault("out") is "highstate" && output.Format == "nested" && Shared.Output.Outputters.TryGet("highstate", out _)
            ? "highstate"
            : null;
}
