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

    public static async Task<int> RunAsync(string[] words, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var args = new CliArgs(words);
        var configDir = CliConfig.DefaultDir;
        var yes = false;
        var includeRejected = false;
        var includeDenied = false;
        var output = new OutputSettings { Static = true };
        (string Action, string Match, string? State)? command = null;
        void Set(string action, string match, string? state = null)
        {
            if (command is not null)
            {
                throw new UsageException("give one key action at a time");
            }
            command = (action, match, state);
        }
        while (args.More)
        {
            var flag = args.NextFlag();
            if (output.TryParse(flag, args))
            {
                continue;
            }
            switch (flag)
            {
                case "-c" or "--config-dir": configDir = args.Value(flag); break;
                case "-y" or "--yes": yes = true; break;
                case "--include-rejected": includeRejected = true; break;
                case "--include-denied": includeDenied = true; break;
                case "--include-all": includeRejected = includeDenied = true; break;
                case "-L" or "--list-all": Set("list", "*"); break;
                case "-l" or "--list": Set("list", "*", StateName(args.Value(flag))); break;
                case "-a" or "--accept": Set("accept", args.Value(flag)); break;
                case "-A" or "--accept-all": Set("accept", "*"); break;
                case "-r" or "--reject": Set("reject", args.Value(flag)); break;
                case "-R" or "--reject-all": Set("reject", "*"); break;
                case "-d" or "--delete": Set("delete", args.Value(flag)); break;
                case "-D" or "--delete-all": Set("delete", "*"); break;
                case "-f" or "--finger": Set("finger", args.Value(flag)); break;
                case "-F" or "--finger-all": Set("finger", "*"); break;
                default: throw new UsageException($"unknown key option '{flag}'");
            }
        }
        var (action, match, state) = command ?? ("list", "*", null);
        var config = CliConfig.Load(configDir);
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
