using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orch key</c>: manage minion keys like salt-key, through the master so revocation takes effect at once.</summary>
internal static class KeyCommand
{
    private static readonly Dictionary<string, string> Headings = new(StringComparer.Ordinal)
    {
        ["minions"] = "Accepted Keys:",
        ["minions_pre"] = "Unaccepted Keys:",
        ["minions_rejected"] = "Rejected Keys:",
        ["minions_denied"] = "Denied Keys:",
    };

    /// <summary>The key actions and the match each applies to (a null match takes the option's value).</summary>
    private static readonly Dictionary<string, (string Action, string? Match)> Actions = new(StringComparer.Ordinal)
    {
        ["--list-all"] = ("list", "*"), ["--list"] = ("list", "*"),
        ["--accept"] = ("accept", null), ["--accept-all"] = ("accept", "*"),
        ["--reject"] = ("reject", null), ["--reject-all"] = ("reject", "*"),
        ["--delete"] = ("delete", null), ["--delete-all"] = ("delete", "*"),
        ["--finger"] = ("finger", null), ["--finger-all"] = ("finger", "*"),
    };

    public static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        var (args, stdout, stderr) = (cli.Args, cli.Stdout, cli.Stderr);
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"orch key takes no arguments, got '{args.Positional[0]}'");
        }
        var yes = args.Has("--yes");
        var includeRejected = args.Has("--include-rejected") || args.Has("--include-all");
        var includeDenied = args.Has("--include-denied") || args.Has("--include-all");
        var output = OutputSettings.From(args, staticByDefault: true);
        var commands = args.Options.Where(o => Actions.ContainsKey(o.Spec.Canonical)).ToList();
        if (commands.Count > 1)
        {
            throw new UsageException("give one key action at a time");
        }
        var (action, match, state) = commands.Count == 0 ? ("list", "*", null) : Command(commands[0].Spec.Canonical, commands[0].Value);
        cli.Log.Debug("Key action {Action} on {Match} with the configuration in {ConfigDir}", action, match, args.ConfigDir);
        var config = CliConfig.Load(args.ConfigDir);
        await using var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false);
        if (action is "accept" or "reject" or "delete")
        {
            var states = action switch
            {
                "accept" => new List<object?> { "pending" }.Concat(includeRejected ? ["rejected"] : Array.Empty<object?>())
                    .Concat(includeDenied ? ["denied"] : Array.Empty<object?>()).ToList(),
                "reject" => ["pending", .. includeRejected ? new object?[] { "accepted" } : []],
                _ => new List<object?> { "pending", "accepted", "rejected", "denied" },
            };
            var matching = await client.CallAsync("key", new() { ["action"] = "matching", ["match"] = match, ["states"] = states }, cancellationToken)
                .ConfigureAwait(false);
            var ids = (matching["return"] as List<object?> ?? []).Select(i => i?.ToString() ?? "").ToList();
            if (ids.Count == 0)
            {
                stderr.WriteLine($"The key glob '{match}' does not match any {(action == "accept" ? "unaccepted " : "")}keys.");
                return 1;
            }
            if (!yes)
            {
                stdout.WriteLine($"The following keys are going to be {Past(action)}:");
                stdout.WriteLine(string.Join("\n", ids));
                stdout.Write("Proceed? [n/Y] ");
                var answer = Console.IsInputRedirected && Console.In.Peek() < 0 ? null : Console.ReadLine();
                if (answer is null || !(answer.Length == 0 || answer.StartsWith('y') || answer.StartsWith('Y')))
                {
                    stdout.WriteLine();
                    return 1;
                }
            }
            var done = await client.CallAsync("key", new()
            {
                ["action"] = action,
                ["match"] = match,
                ["include_rejected"] = includeRejected,
                ["include_denied"] = includeDenied,
                ["include_accepted"] = includeRejected,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var id in done["return"] as List<object?> ?? [])
            {
                stdout.WriteLine($"Key for minion {id} {Past(action)}.");
            }
            return 0;
        }
        var result = await client.CallAsync("key", new()
        {
            ["action"] = action,
            ["match"] = match,
            ["state"] = state,
        }, cancellationToken).ConfigureAwait(false);
        var data = result["return"] as Dictionary<string, object?> ?? new();
        if (output.Format != "nested")
        {
            output.Write(stdout, data);
            return 0;
        }
        foreach (var (folder, entries) in data)
        {
            stdout.WriteLine(folder == "local" ? "Local Keys:" : Headings.GetValueOrDefault(folder, folder));
            switch (entries)
            {
                case List<object?> list:
                    list.ForEach(id => stdout.WriteLine(id));
                    break;
                case Dictionary<string, object?> fingerprints:
                    foreach (var (id, finger) in fingerprints)
                    {
                        stdout.WriteLine($"{id}:  {finger}");
                    }
                    break;
            }
        }
        return 0;
    }

    private static (string Action, string Match, string? State) Command(string canonical, string? value)
    {
        var (action, match) = Actions[canonical];
        return canonical == "--list" ? (action, "*", StateName(value!)) : (action, match ?? value!, null);
    }

    private static string StateName(string value) => value.ToLowerInvariant() switch
    {
        "pre" or "un" or "unaccepted" or "pending" => "pending",
        "acc" or "accepted" => "accepted",
        "rej" or "rejected" => "rejected",
        "den" or "denied" => "denied",
        "all" => throw new UsageException("use -L to list all keys"),
        _ => throw new UsageException($"unknown key state '{value}' (pending, accepted, rejected, denied)"),
    };

    private static string Past(string action) => action switch
    {
        "accept" => "accepted",
        "reject" => "rejected",
        _ => "deleted",
    };
}
