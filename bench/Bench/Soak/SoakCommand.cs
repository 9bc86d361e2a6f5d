using System.Runtime.InteropServices;
using Orchestrator.Bench.Runner;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// <c>orch-bench soak [options]</c>: the long run of issue #9 (hours, not part of CI). Parses the options, starts the
/// cluster, runs <see cref="SoakRun"/>, and always cleans up: every process it started and its scratch dir (kept when
/// the run found a problem, or with --keep), also on Ctrl-C or SIGTERM.
/// </summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (SubcommandOptions.Parse(args, "orch-bench soak", SoakOptions.Usage, SoakOptions.Parse, out var parseExit) is not { } options)
        {
            return parseExit;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        Native.RaiseOpenFileLimit();
        Directory.CreateDirectory(options.WorkDirectory);
        var keep = options.KeepWork;
        SoakCluster? cluster = null;
        try
        {
            var bin = await Binaries.ResolveAsync(new BenchOptions { BinDirectory = options.BinDirectory, WorkDirectory = options.WorkDirectory },
                Log, cancel.Token).ConfigureAwait(false);
            Log($"seed {options.Seed}; scratch dir {options.WorkDirectory}");
            cluster = await SoakCluster.StartAsync(options, bin, Log, cancel.Token).ConfigureAwait(false);
            var (exit, problems) = await new SoakRun(options, cluster, Log).RunAsync(cancel.Token).ConfigureAwait(false);
            keep |= problems;
            return exit;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"orch-bench soak: {e.Message}");
            keep = true;
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Log("interrupted before the run started");
            return 130;
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
            }
            if (keep)
            {
                Log($"scratch dir kept: {options.WorkDirectory} (master/master.log, soak-m*/minion.log, runs/, */console.log)");
            }
            else
            {
                try
                {
                    Directory.Delete(options.WorkDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort.
                }
            }
        }
    }
}
