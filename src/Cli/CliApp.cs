using Orchestrator.Cli.Commands;
using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Daemon;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli;

/// <summary>
/// The verb table: <c>orch key</c> (salt-key), <c>orch run</c> (salt-run), <c>orch call</c> (salt-call), <c>orch cloud</c> (salt-cloud), and otherwise
/// <c>orch TARGET FUN ARGS</c> (salt). One parser (<see cref="CommandLineParser"/>) reads every verb's options, wherever
/// they are typed.
/// </summary>
public static class CliApp
{
    /// <summary>The top-level usage (<c>orch --help</c>).</summary>
    public static string Usage => VerbUsage.For(CliVerb.Publish);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var verb = CliVerb.Publish;
        try
        {
            if (args.Length == 0)
            {
                stderr.Write(Usage);
                return 2;
            }
            verb = CommandLineParser.VerbOf(args);
            var parsed = CommandLineParser.Parse(args);
            if (VerbUsage.InformationFor(parsed) is { } information)
            {
                stdout.Write(information);
                return 0;
            }
            var level = parsed.Value("--log-level") ?? "warning";
            if (!CliOptionTable.LogLevels.Contains(level.ToLowerInvariant()))
            {
                throw new UsageException($"-l/--log-level must be one of {string.Join(", ", CliOptionTable.LogLevels)}, not '{level}'");
            }
            using var log = SaltConsoleLogging.Create(level, stderr);
            var cli = new CliContext(parsed, stdout, stderr, log);
            return parsed.Verb switch
            {
                CliVerb.Key => await KeyCommand.RunAsync(cli, cancellationToken).ConfigureAwait(false),
                CliVerb.Run => await RunCommand.RunAsync(cli, cancellationToken).ConfigureAwait(false),
                CliVerb.Call => await CallCommand.RunAsync(cli, cancellationToken).ConfigureAwait(false),
                CliVerb.Cloud => await CloudCommand.RunAsync(cli, cancellationToken).ConfigureAwait(false),
                _ => await PublishCommand.RunAsync(cli, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (UsageException e)
        {
            var help = verb == CliVerb.Publish ? "orch --help" : CommandLineParser.VerbName(verb) + " --help";
            stderr.WriteLine($"orch: {e.Message} (see {help})");
            return 2;
        }
        catch (MasterUnavailableException e)
        {
            stderr.WriteLine($"orch: {e.Message}");
            return 2;
        }
        catch (MasterRequestException e)
        {
            stderr.WriteLine($"ERROR: {e.Message}");
            return 1;
        }
    }
}
