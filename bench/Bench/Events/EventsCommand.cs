using System.Diagnostics;
using System.Globalization;
using Orchestrator.Bench.Runner;

namespace Orchestrator.Bench.Events;

/// <summary><c>orch-bench --events [throughput|reactor] [options]</c>: the event bus and reactor benchmarks.</summary>
public static class EventsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (SubcommandOptions.Parse(args, "orch-bench --events", EventsOptions.Usage, EventsOptions.Parse, out var exit) is not { } options)
        {
            return exit;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var total = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();
        Native.RaiseOpenFileLimit();
        var bench = options.Bench;
        string bin;
        try
        {
            if (options.Throughput)
            {
                var keys = KeyCache.Ensure(bench.KeyDirectory, options.Minions, Log);
                if (keys.Generated > 0)
                {
                    Log($"generated {keys.Generated} keys in {keys.Elapsed.TotalSeconds:F0}s (not part of any figure)");
                }
            }
            bin = await Binaries.ResolveAsync(bench, Log, cancel.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"orch-bench --events: {e.Message}");
            return 1;
        }
        Directory.CreateDirectory(bench.WorkDirectory);
        var throughput = new List<ThroughputResult>();
        ReactorResult? reactor = null;
        try
        {
            if (options.Throughput)
            {
                var benchmark = new EventThroughputBenchmark(options, bin, Log);
                foreach (var subscribers in options.Subscribers)
                {
                    Log($"== event bus: {options.Minions} minions x {options.EventsPerMinion} events, {subscribers} subscriber(s) ==");
                    throughput.Add(await benchmark.RunAsync(subscribers, cancel.Token).ConfigureAwait(false));
                }
            }
            if (options.Reactor)
            {
                Log($"== reactor latency: {options.ReactorEvents} events ==");
                reactor = await new ReactorLatencyBenchmark(options, bin, Log).RunAsync(cancel.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Log("interrupted: printing what was measured");
        }
        finally
        {
            if (!bench.KeepWork)
            {
                try
                {
                    Directory.Delete(bench.WorkDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort.
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"orch-bench --events: {DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores, load average {loadAtStart} at the start and {LoadAverage()} at the end, " +
            $".NET {Environment.Version}, total {total.Elapsed.TotalSeconds:F0}s"));
        Console.WriteLine();
        if (throughput.Count > 0)
        {
            Console.WriteLine(EventsReport.Throughput(throughput));
        }
        if (reactor is not null)
        {
            Console.WriteLine(EventsReport.Reactor(reactor));
        }
        return throughput.Any(r => r.Error is not null) || reactor?.Error is not null ? 1 : 0;
    }

    private static void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
