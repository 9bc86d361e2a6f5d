using System.Diagnostics;

namespace Orchestrator.Bench.Runner;

/// <summary>
/// Starts a process on a fixed set of CPUs through <c>taskset</c>, so the master's own cost can be seen apart from the
/// swarm's on a small machine. taskset rather than <see cref="Process.ProcessorAffinity"/>: on Linux that setter pins only
/// the main thread of an already running process, while taskset's mask is inherited by every thread the runtime starts.
/// </summary>
internal static class CpuPinning
{
    /// <summary>The start info itself when <paramref name="cpus"/> is null, else one that runs it under <c>taskset -c</c>.</summary>
    public static ProcessStartInfo On(ProcessStartInfo info, string? cpus)
    {
        if (cpus is null)
        {
            return info;
        }
        var pinned = new ProcessStartInfo("taskset")
        {
            RedirectStandardInput = info.RedirectStandardInput,
            RedirectStandardOutput = info.RedirectStandardOutput,
            RedirectStandardError = info.RedirectStandardError,
            UseShellExecute = false,
            WorkingDirectory = info.WorkingDirectory,
        };
        pinned.ArgumentList.Add("-c");
        pinned.ArgumentList.Add(cpus);
        pinned.ArgumentList.Add(info.FileName);
        foreach (var argument in info.ArgumentList)
        {
            pinned.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in info.Environment)
        {
            pinned.Environment[name] = value;
        }
        return pinned;
    }
}
