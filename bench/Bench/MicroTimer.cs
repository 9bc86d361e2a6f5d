using System.Diagnostics;

namespace Orchestrator.Bench;

/// <summary>Times one small operation on one thread: the median of five batches after a warm-up.</summary>
public static class MicroTimer
{
    /// <summary>µs per call; printed as a markdown table row.</summary>
    public static double Row(string name, int rounds, Action action)
    {
        for (var i = 0; i < Math.Max(20, rounds / 10); i++)
        {
            action();
        }
        var batches = new double[5];
        for (var b = 0; b < batches.Length; b++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < rounds / batches.Length; i++)
            {
                action();
            }
            batches[b] = clock.Elapsed.TotalMicroseconds / (rounds / batches.Length);
        }
        Array.Sort(batches);
        Console.WriteLine($"| {name} | {batches[2]:F2} |");
        return batches[2];
    }
}
