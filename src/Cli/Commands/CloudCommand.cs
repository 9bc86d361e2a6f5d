using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch cloud</c> (salt-cloud): <c>-p PROFILE NAME...</c> creates nodes, <c>-d NAME... [-y]</c> destroys them after a
/// confirmation, <c>-Q</c>/<c>-F</c> list them, <c>--list-profiles</c> and <c>--list-providers</c> show the config. Each runs
/// the master's <c>cloud.*</c> runner through its socket, so nodes, keys and events all live on the master.
/// </summary>
internal static class CloudCommand
{
    public static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        var (args, stdout, stderr) = (cli.Args, cli.Stdout, cli.Stderr);
        var output = OutputSettings.From(args, staticByDefault: true);
        var actions = new[] { "--profile", "--destroy", "--query", "--full-query", "--list-profiles", "--list-providers" }
            .Where(args.Has).ToList();
        if (actions.Count > 1)
        {
            throw new UsageException($"give one of -p, -d, -Q, -F, --list-profiles, --list-providers at a time (got {string.Join(", ", actions)})");
        }
        var names = args.Positional.ToList();
        (string Function, List<object?> Args) call = actions.FirstOrDefault() switch
        {
            "--profile" => ("cloud.profile", [args.Value("--profile"), .. Required(names, "-p PROFILE needs the names of the nodes to create")]),
            "--destroy" => ("cloud.destroy", [.. Required(names, "-d needs the names of the nodes to destroy")]),
            "--query" => ("cloud.query", NoNames(names, "-Q")),
            "--full-query" => ("cloud.full_query", NoNames(names, "-F")),
            "--list-profiles" => ("cloud.list_profiles", names.Count > 1 ? throw new UsageException("--list-profiles takes at most one provider") : names.Cast<object?>().ToList()),
            "--list-providers" => ("cloud.list_providers", NoNames(names, "--list-providers")),
            _ => throw new UsageException("nothing to do: give -p PROFILE NAME, -d NAME, -Q, -F, --list-profiles or --list-providers"),
        };
        var (function, callArgs) = call;
        var config = CliConfig.Load(args.ConfigDir);
        cli.Log.Debug("Running {Function} through the master's socket {Socket}", function, config.SocketPath);
        await using var client = await MasterClient.ConnectAsync(config.SocketPath, cancellationToken).ConfigureAwait(false);
        if (function == "cloud.destroy" && !args.Has("--assume-yes") && !await ConfirmAsync(client, names, stdout, cancellationToken).ConfigureAwait(false))
        {
            return 1;
        }
        var result = await client.CallAsync("runner", new()
        {
            ["fun"] = function,
            ["arg"] = callArgs,
            ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false);
        output.Write(stdout, result.GetValueOrDefault("return"), output.OutputterFor(result.GetValueOrDefault("out") as string));
        return result.GetValueOrDefault("retcode") is long retcode and not 0 ? 1 : 0;
    }

    /// <summary>salt-cloud's question before a destroy, listing the nodes found under their provider and driver.</summary>
    private static async Task<bool> ConfirmAsync(MasterClient client, List<string> names, TextWriter stdout, CancellationToken cancellationToken)
    {
        var query = await client.CallAsync("runner", new()
        {
            ["fun"] = "cloud.query",
            ["arg"] = new List<object?>(),
            ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false);
        await stdout.WriteLineAsync("The following virtual machines are set to be destroyed:").ConfigureAwait(false);
        foreach (var (alias, drivers) in query.GetValueOrDefault("return") as Dictionary<string, object?> ?? [])
        {
            foreach (var (driver, nodes) in drivers as Dictionary<string, object?> ?? [])
            {
                var found = (nodes as Dictionary<string, object?> ?? []).Keys.Where(names.Contains).ToList();
                if (found.Count > 0)
                {
                    await stdout.WriteLineAsync($"  {alias}:\n    {driver}:").ConfigureAwait(false);
                    found.ForEach(n => stdout.WriteLine($"      {n}"));
                }
            }
        }
        await stdout.WriteAsync("\nProceed? [N/y] ").ConfigureAwait(false);
        var answer = Console.IsInputRedirected && Console.In.Peek() < 0 ? null : Console.ReadLine();
        if (answer is null || !answer.Trim().StartsWith('y') && !answer.Trim().StartsWith('Y'))
        {
            await stdout.WriteLineAsync("\nNo machines were destroyed!").ConfigureAwait(false);
            return false;
        }
        return true;
    }

    private static List<string> Required(List<string> names, string message) => names.Count > 0 ? names : throw new UsageException(message);

    private static List<object?> NoNames(List<string> names, string flag) =>
        names.Count == 0 ? [] : throw new UsageException($"{flag} takes no names, got '{names[0]}'");
}
