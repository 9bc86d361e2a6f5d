using System.Diagnostics;
using System.Runtime;
using Orchestrator.StateBench;

Options options;
try
{
    options = Options.Parse(args);
}
catch (Options.HelpRequested)
{
    Console.WriteLine(Options.Usage);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"orch-state-bench: {e.Message}\n\n{Options.Usage}");
    return 64;
}

var total = Stopwatch.StartNew();
Console.WriteLine(
    $"orch-state-bench: .NET {Environment.Version}, {Environment.ProcessorCount} CPUs, "
    + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(Debugger.IsAttached ? "debugger attached" : "no debugger")}"
#if DEBUG
    + ", DEBUG build (use -c Release)"
#endif
    );

try
{
    if (options.States)
    {
        Console.WriteLine();
        Console.WriteLine("== State system: file.managed trees through state.show_lowstate / state.apply (in-process, --local style) ==");
        var sizes = await StateBenchmark.RunAsync(options, Console.Out);
        Report.States(sizes, Console.Out);
    }
    if (options.Jinja)
    {
        Console.WriteLine();
        Console.WriteLine("== Jinja render throughput ==");
        var jinja = JinjaBenchmark.Run(options, Console.Out);
        Report.Jinja(jinja, Console.Out);
    }
}
catch (BenchException e)
{
    Console.Error.WriteLine($"orch-state-bench: check failed: {e.Message}");
    return 1;
}

Console.WriteLine();
Console.WriteLine($"done in {total.Elapsed.TotalSeconds:F1} s, process peak RSS {Stats.Mb(MemoryProbe.ReadPeakRss())} MB since the last reset");
return 0;
