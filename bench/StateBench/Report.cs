namespace Orchestrator.StateBench;

internal static class Report
{
    public static void States(List<SizeFigures> sizes, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Time, ms: median (min-max) over the runs. compile = state.show_lowstate (top file, Jinja+YAML render of every SLS,");
        output.WriteLine("high data, requisites, ordering); apply#1 = state.apply creating every file; apply#2 = state.apply again, nothing to do.");
        output.WriteLine("raw FS w/r = creating the same N files (and dirs) with File.WriteAllText / reading them back, no state system, once.");
        var time = new Table("states", "SLS", "runs", "compile ms", "apply#1 ms", "apply#2 ms", "apply#1-compile", "apply#1 st/s", "apply#2 st/s", "chg#1", "chg#2", "raw FS w/r ms");
        var cpu = new Table("states", "compile cpu ms", "apply#1 cpu ms", "apply#2 cpu ms", "apply#1 cpu us/state", "apply#2 cpu us/state");
        foreach (var s in sizes)
        {
            time.Add(
                $"{s.Size:N0}",
                $"{s.SlsFiles}",
                $"{s.Runs}",
                s.Compile.TimeCell,
                s.First.TimeCell,
                s.Second.TimeCell,
                Stats.Ms(s.First.MedianMs - s.Compile.MedianMs),
                Stats.Rate(s.Size / (s.First.MedianMs / 1000)),
                Stats.Rate(s.Size / (s.Second.MedianMs / 1000)),
                $"{s.FirstChanges}",
                $"{s.SecondChanges}",
                $"{Stats.Ms(s.RawWriteMs)}/{Stats.Ms(s.RawReadMs)}");
            cpu.Add(
                $"{s.Size:N0}",
                Stats.Ms(s.Compile.MedianCpuMs),
                Stats.Ms(s.First.MedianCpuMs),
                Stats.Ms(s.Second.MedianCpuMs),
                $"{s.First.MedianCpuMs * 1000 / s.Size:F0}",
                $"{s.Second.MedianCpuMs * 1000 / s.Size:F0}");
        }
        output.Write(time);
        output.WriteLine();
        output.WriteLine("CPU time of the process (user + system, all threads, GC included) during the same calls, median over the runs:");
        output.Write(cpu);
        output.WriteLine();
        output.WriteLine("Memory: alloc = bytes allocated during the call (median over runs, process-wide); heap = peak managed heap sampled every");
        output.WriteLine("2 ms during the call (max over runs); RSS = peak resident set of the process while the size ran (VmHWM).");
        var memory = new Table("states", "alloc compile MB", "alloc apply#1 MB", "alloc apply#2 MB", "KB/state apply#1", "heap compile MB", "heap apply#1 MB", "heap apply#2 MB", "peak RSS MB");
        foreach (var s in sizes)
        {
            memory.Add(
                $"{s.Size:N0}",
                Stats.Mb(Stats.Median(s.Compile.Allocated)),
                Stats.Mb(Stats.Median(s.First.Allocated)),
                Stats.Mb(Stats.Median(s.Second.Allocated)),
                $"{Stats.Median(s.First.Allocated) / s.Size / 1024:F1}",
                Stats.Mb(s.Compile.PeakHeap),
                Stats.Mb(s.First.PeakHeap),
                Stats.Mb(s.Second.PeakHeap),
                Stats.Mb(s.PeakRss) + (s.RssReset ? string.Empty : "*"));
        }
        output.Write(memory);
        if (sizes.Any(s => !s.RssReset))
        {
            output.WriteLine("* /proc/self/clear_refs could not reset the peak, so this is the process's peak so far.");
        }
        foreach (var s in sizes)
        {
            output.WriteLine($"N={s.Size}: second apply reported {s.SecondChanges} changes (checked: must be 0); first apply {s.FirstChanges} of {s.Size}.");
        }
    }

    public static void Jinja(List<JinjaFigures> figures, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(JinjaBenchmark.Describe());
        output.WriteLine("parse once = template from the environment's cache, rendered; parse+render = lex, parse and render every time.");
        output.WriteLine("2 threads = Parallel.For (MaxDegreeOfParallelism 2) over the same number of renders as the 1-thread row.");
        var table = new Table("template", "mode", "threads", "renders", "templates/s", "out MB/s", "src MB/s", "KB alloc/render", "x vs 1 thread");
        foreach (var f in figures)
        {
            var single = figures.First(o => o.Template == f.Template && o.Mode == f.Mode && o.Threads == 1);
            table.Add(
                f.Template,
                f.Mode,
                $"{f.Threads}",
                $"{f.Renders:N0}",
                Stats.Rate(f.PerSecond),
                $"{f.OutputMbPerSecond:F1}",
                $"{f.SourceMbPerSecond:F1}",
                $"{f.AllocatedPerRender / 1024:F1}",
                $"{f.PerSecond / single.PerSecond:F2}");
        }
        output.Write(table);
    }
}
