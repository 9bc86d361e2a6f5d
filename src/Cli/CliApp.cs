using Orchestrator.Cli.Commands;
using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Daemon;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Cli;

/// <summary>
/// The verb table: <c>orch key</c> (salt-key), <c>orch run</c> (salt-run), <c>orch call</c> (salt-call), and otherwise
/// <c>orch TARGET FUN ARGS</c> (salt).
/// </summary>
public static class CliApp
{
    public const string Usage = """
        Usage:
          orch [OPTIONS] [TARGET-FLAG] '<target>' <module.function> [ARG ...] [KEY=VALUE ...]
          orch key [OPTIONS] -L | -l STATE | -a ID | -A | -r ID | -R | -d ID | -D | -f ID | -F   [-y]
          orch run [OPTIONS] <runner.function> [ARG ...] [KEY=VALUE ...]
          orch call [--local] [--file-root DIR] [--pillar-root DIR] [--out FORMAT] <module.function> [ARG ...]

        Options may come before or after the target and function, as with salt; after "--" every word is an argument.

        Options:
          -c, --config-dir DIR   configuration directory (default $ORCH_CONFIG_DIR or /etc/orchestrator)
          -t, --timeout SECONDS  how long to wait for returns
          --out FORMAT           nested (default), json, yaml, txt, raw, highstate
          --static               print all returns at once, as one document
          --out-file FILE        write the output to FILE
          --async                publish and print the jid without waiting
          -v, --verbose          show the jid and the minions still pending
          -p, --progress         a live "k of n returned" line on a terminal
          -b, --batch N|N%       run on N minions (or N percent) at a time
          --batch-wait SECONDS   wait between batches
          --state-output MODE    full, terse, mixed, changes (highstate output)
          --state-verbose BOOL   False hides states that succeeded without changes
          --no-color             no ANSI colours

        Target flags (default: glob):
          -L list   -E pcre   -G grain   -P grain_pcre   -I pillar   -J pillar_pcre   -S ipcidr   -N nodegroup   -C compound
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                stdout.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            if (args[0] is "--version" or "-V")
            {
                stdout.WriteLine($"orch {DaemonCommandLine.Version}");
                return 0;
            }
            return args[0] switch
            {
                "key" => await KeyCommand.RunAsync(args[1..], stdout, stderr, cancellationToken).ConfigureAwait(false),
                "run" => await RunCommand.RunAsync(args[1..], stdout, stderr, cancellationToken).ConfigureAwait(false),
                "call" => await CallCommand.RunAsync(args[1..], stdout, stderr, cancellationToken).ConfigureAwait(false),
                _ => await PublishCommand.RunAsync(args, stdout, stderr, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"orch: {e.Message} (see orch --help)");
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
