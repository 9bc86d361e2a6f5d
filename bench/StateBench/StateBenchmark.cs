using System.Diagnostics;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.StateEngine.Local;

namespace Orchestrator.StateBench;

/// <summary>Figures of one phase over the repeats of a size.</summary>
internal sealed class PhaseFigures
{
    public List<double> Milliseconds { get; } = [];

    public List<double> Allocated { get; } = [];

    /// <summary>Process CPU time (user + system, all threads) per run: less disturbed than wall time on a shared machine.</summary>
    public List<double> CpuMilliseconds { get; } = [];

    public double MedianCpuMs => Stats.Median(CpuMilliseconds);

    public long PeakHeap { get; set; }

    public double MedianMs => Stats.Median(Milliseconds);

    public string TimeCell => Milliseconds.Count == 1
        ? Stats.Ms(Milliseconds[0])
        : $"{Stats.Ms(MedianMs)} ({Stats.Ms(Milliseconds.Min())}-{Stats.Ms(Milliseconds.Max())})";

    public void Add(double ms, double cpuMs, MemoryProbe probe)
    {
        Milliseconds.Add(ms);
        CpuMilliseconds.Add(cpuMs);
        Allocated.Add(probe.AllocatedBytes);
        PeakHeap = Math.Max(PeakHeap, probe.PeakHeapBytes);
    }
}

internal sealed record SizeFigures(
    int Size,
    int SlsFiles,
    int Requires,
    int Runs,
    PhaseFigures Compile,
    PhaseFigures First,
    PhaseFigures Second,
    int FirstChanges,
    int SecondChanges,
    long PeakRss,
    bool RssReset,
    double RawWriteMs,
    double RawReadMs);

/// <summary>
/// Compile and apply a generated tree through the real <c>state</c> execution module, in-process, the way
/// <c>orch call --local state.apply</c> does: <c>new ExecutionModuleRegistry().AddBuiltinModules()</c>, a
/// <see cref="LocalFileClient"/> on the tree as <c>file_roots</c>, top-file targeting on the minion id.
/// </summary>
internal static class StateBenchmark
{
    private const string MinionId = "statebench";

    private const int WarmUpSize = 1000;

    public static async Task<List<SizeFigures>> RunAsync(Options options, TextWriter log)
    {
        var registry = new ExecutionModuleRegistry().AddBuiltinModules();
        // Warm-up, not in the tables: the runtime's tiered JIT promotes hot methods only after ~30 calls and a delay, so the
        // first runs of a process measure tier-0 code. The cold first run is printed as a figure of its own.
        using (var warm = StateTree.Create(WarmUpSize, options.Directory, options.RequireEvery))
        {
            var stopwatch = Stopwatch.StartNew();
            var cold = await RunSizeAsync(registry, warm, runs: 1, log: null).ConfigureAwait(false);
            var more = 0;
            while (stopwatch.Elapsed < TimeSpan.FromSeconds(8) && more < 12)
            {
                await RunSizeAsync(registry, warm, runs: 1, log: null).ConfigureAwait(false);
                more++;
            }
            log.WriteLine(
                $"  warm-up, N={WarmUpSize}: cold first run compile {Stats.Ms(cold.Compile.MedianMs)} ms, apply#1 {Stats.Ms(cold.First.MedianMs)} ms, "
                + $"apply#2 {Stats.Ms(cold.Second.MedianMs)} ms (JIT included), then {more} more run(s) in {stopwatch.Elapsed.TotalSeconds:F1} s");
        }
        var all = new List<SizeFigures>();
        foreach (var size in options.Sizes)
        {
            var tree = StateTree.Create(size, options.Directory, options.RequireEvery);
            try
            {
                log.WriteLine($"  N={size}: {tree.Files} SLS files, {tree.Requires} requires, {options.RepeatsFor(size)} run(s), tree {tree.Root}");
                all.Add(await RunSizeAsync(registry, tree, options.RepeatsFor(size), log).ConfigureAwait(false));
            }
            finally
            {
                if (!options.Keep)
                {
                    tree.Dispose();
                }
            }
        }
        return all;
    }

    private static ModuleContext ContextFor(ExecutionModuleRegistry registry, StateTree tree)
    {
        var opts = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = MinionId,
            ["cachedir"] = tree.CacheDir,
            ["file_roots"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["base"] = new List<object?> { tree.FileRoot } },
        };
        return new ModuleContext
        {
            MinionId = MinionId,
            Grains = new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = MinionId, ["os"] = "Linux" },
            Opts = opts,
            Modules = registry,
            CacheDir = tree.CacheDir,
            Files = new LocalFileClient(new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["base"] = [tree.FileRoot] }),
        };
    }

    private static async Task<SizeFigures> RunSizeAsync(ExecutionModuleRegistry registry, StateTree tree, int runs, TextWriter? log)
    {
        var context = ContextFor(registry, tree);
        var compile = new PhaseFigures();
        var first = new PhaseFigures();
        var second = new PhaseFigures();
        var firstChanges = 0;
        var secondChanges = 0;
        bool rssReset;
        using (var sizeProbe = MemoryProbe.Start(resetRss: true))
        {
            rssReset = sizeProbe.RssReset;
            for (var run = 0; run < runs; run++)
            {
                tree.ResetManaged();

                var (ms, cpu, probe, result) = await TimedAsync(registry, "state.show_lowstate", context).ConfigureAwait(false);
                var chunks = Expect<List<object?>>(result, "state.show_lowstate");
                Check(chunks.Count == tree.Size, $"show_lowstate returned {chunks.Count} chunks, expected {tree.Size}");
                compile.Add(ms, cpu, probe);

                (ms, cpu, probe, result) = await TimedAsync(registry, "state.apply", context).ConfigureAwait(false);
                firstChanges = CheckApply(result, tree, "first");
                Check(firstChanges == tree.Size, $"first apply changed {firstChanges} of {tree.Size} states");
                CheckFiles(tree);
                first.Add(ms, cpu, probe);

                (ms, cpu, probe, result) = await TimedAsync(registry, "state.apply", context).ConfigureAwait(false);
                secondChanges = CheckApply(result, tree, "second");
                // The point of the second run: nothing to do, so nothing may change.
                Check(secondChanges == 0, $"second apply reported {secondChanges} changes, expected 0");
                second.Add(ms, cpu, probe);

                log?.WriteLine(
                    $"    run {run + 1}/{runs}: compile {Stats.Ms(compile.Milliseconds[^1])} ms, apply#1 {Stats.Ms(first.Milliseconds[^1])} ms "
                    + $"({firstChanges} changes), apply#2 {Stats.Ms(second.Milliseconds[^1])} ms ({secondChanges} changes)");
            }
            sizeProbe.Stop();
            var (rawWrite, rawRead) = tree.FileSystemBaseline();
            return new SizeFigures(
                tree.Size, tree.Files, tree.Requires, runs, compile, first, second, firstChanges, secondChanges, sizeProbe.PeakRssBytes, rssReset,
                rawWrite, rawRead);
        }
    }

    private static async Task<(double Ms, double CpuMs, MemoryProbe Probe, FunctionResult Result)> TimedAsync(
        ExecutionModuleRegistry registry, string function, ModuleContext context)
    {
        using var process = Process.GetCurrentProcess();
        var probe = MemoryProbe.Start();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var result = await registry.InvokeAsync(function, [], new Dictionary<string, object?>(StringComparer.Ordinal), context, CancellationToken.None)
            .ConfigureAwait(false);
        stopwatch.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        probe.Stop();
        Check(result.Success, $"{function} failed (retcode {result.Retcode}): {Summarize(result.Return)}");
        return (stopwatch.Elapsed.TotalMilliseconds, cpu, probe, result);
    }

    /// <summary>Checks that every state ran and succeeded; returns how many reported changes.</summary>
    private static int CheckApply(FunctionResult result, StateTree tree, string which)
    {
        var states = Expect<Dictionary<string, object?>>(result, $"{which} state.apply");
        Check(states.Count == tree.Size, $"{which} apply returned {states.Count} results, expected {tree.Size}");
        var changes = 0;
        foreach (var (tag, value) in states)
        {
            var ret = value as Dictionary<string, object?> ?? throw new BenchException($"{which} apply: {tag} is not a result mapping");
            Check(ret.GetValueOrDefault("result") is true, $"{which} apply: {tag} failed: {ret.GetValueOrDefault("comment")}");
            if (ret.GetValueOrDefault("changes") is Dictionary<string, object?> { Count: > 0 })
            {
                changes++;
            }
        }
        return changes;
    }

    /// <summary>Spot-checks the managed files, Jinja-rendered ones included.</summary>
    private static void CheckFiles(StateTree tree)
    {
        var perFile = tree.PerFile;
        foreach (var i in new[] { 0, 1, tree.Size / 2, tree.Size - 1 }.Distinct())
        {
            var path = tree.ManagedPath(i, perFile);
            var text = File.ReadAllText(path);
            var expected = StateTree.ExpectedContents(i, perFile);
            Check(text == expected, $"{path}: expected {expected.TrimEnd()!} but found {text.TrimEnd()}");
        }
    }

    private static T Expect<T>(FunctionResult result, string what) where T : class =>
        result.Return as T ?? throw new BenchException($"{what}: unexpected return {Summarize(result.Return)}");

    private static string Summarize(object? value)
    {
        var text = value switch
        {
            List<object?> list => string.Join("\n", list.Take(5)),
            null => "null",
            _ => value.ToString() ?? string.Empty,
        };
        return text.Length > 600 ? text[..600] + "..." : text;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new BenchException(message);
        }
    }
}

internal sealed class BenchException(string message) : Exception(message);
