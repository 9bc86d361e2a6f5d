using System.Diagnostics;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orch call</c> (salt-call): runs a module on this host. The minion binary beside <c>orch</c> does the work, so the CLI
/// stays free of module code.
/// </summary>
internal static class CallCommand
{
    public static async Task<int> RunAsync(CliContext cli, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (cli.Stdout, cli.Stderr);
        var minion = Path.Combine(AppContext.BaseDirectory, "orch-minion");
        if (!File.Exists(minion))
        {
            stderr.WriteLine($"orch: orch call needs orch-minion beside orch ({minion} not found)");
            return 2;
        }
        var start = new ProcessStartInfo(minion) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("call");
        foreach (var word in cli.Args.Words)
        {
            start.ArgumentList.Add(word);
        }
        cli.Log.Debug("Running {Minion} call with {Words}", minion, cli.Args.Words);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start orch-minion");
        var outTask = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errTask = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await stdout.WriteAsync(await outTask.ConfigureAwait(false)).ConfigureAwait(false);
        await stderr.WriteAsync(await errTask.ConfigureAwait(false)).ConfigureAwait(false);
        return process.ExitCode;
    }
}
