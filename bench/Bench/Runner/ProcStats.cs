using System.Globalization;

namespace Orchestrator.Bench.Runner;

/// <summary>
/// CPU time and memory of a live process, read from /proc/&lt;pid&gt;/stat, status and smaps_rollup (PSS: the resident
/// pages with each shared one divided among the processes that map it, what a host of many minions really pays).
/// </summary>
public readonly record struct ProcStats(double CpuSeconds, long RssKb, long PeakRssKb, long PssKb)
{
    // USER_HZ: 100 on every Linux the bench is meant for (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100.0;

    public static ProcStats Read(int pid) => Read($"/proc/{pid}");

    private static ProcStats Read(string procDir)
    {
        try
        {
            var stat = File.ReadAllText($"{procDir}/stat");
            // Fields after the command name, which is in parentheses and may contain spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Field 14 (utime) and 15 (stime) of stat(5); fields[0] here is field 3 (state).
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"{procDir}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kb(line);
                }
            }
            long pss = 0;
            if (File.Exists($"{procDir}/smaps_rollup"))
            {
                pss = File.ReadLines($"{procDir}/smaps_rollup").Where(l => l.StartsWith("Pss:", StringComparison.Ordinal)).Select(Kb).FirstOrDefault();
            }
            return new ProcStats(ticks / TicksPerSecond, rss, hwm, pss);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return default;
        }
    }

    /// <summary>
    /// CPU seconds per thread, summed over threads of the same name (/proc/&lt;pid&gt;/task/*/comm), busiest first: shows
    /// whether the poller, NetMQ's I/O thread, the workers or the GC is the bottleneck.
    /// </summary>
    public static IReadOnlyList<(string Name, double CpuSeconds)> Threads(int pid)
    {
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                    byName[name] = byName.GetValueOrDefault(name) + Read(task).CpuSeconds;
                }
                catch (IOException)
                {
                    // The thread ended while we looked.
                }
            }
        }
        catch (IOException)
        {
            // The process ended.
        }
        return byName.Select(kv => (kv.Key, kv.Value)).OrderByDescending(t => t.Value).ToList();
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
