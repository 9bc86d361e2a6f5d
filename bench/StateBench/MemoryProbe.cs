using System.Globalization;

namespace Orchestrator.StateBench;

/// <summary>
/// Memory figures for one phase: bytes allocated (process-wide, <see cref="GC.GetTotalAllocatedBytes"/>), the peak managed
/// heap (sampled every 2 ms without allocating) and the peak resident set (Linux <c>VmHWM</c>, reset at the start through
/// <c>/proc/self/clear_refs</c> when the kernel allows it).
/// </summary>
internal sealed class MemoryProbe : IDisposable
{
    private readonly long _allocatedAtStart;
    private readonly Thread _sampler;
    private volatile bool _stop;
    private long _peakHeap;

    private MemoryProbe(bool resetRss)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        RssReset = resetRss && TryResetPeakRss();
        _peakHeap = GC.GetTotalMemory(false);
        _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
        _sampler = new Thread(Sample) { IsBackground = true, Name = "memory-sampler", Priority = ThreadPriority.AboveNormal };
        _sampler.Start();
    }

    /// <summary>Whether the peak RSS was reset for this probe (else <see cref="PeakRssBytes"/> is the process's peak so far).</summary>
    public bool RssReset { get; }

    public long AllocatedBytes { get; private set; }

    public long PeakHeapBytes { get; private set; }

    public long PeakRssBytes { get; private set; }

    public static MemoryProbe Start(bool resetRss = false) => new(resetRss);

    public void Stop()
    {
        if (_stop)
        {
            return;
        }
        AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtStart;
        _stop = true;
        _sampler.Join();
        PeakHeapBytes = Math.Max(Interlocked.Read(ref _peakHeap), GC.GetTotalMemory(false));
        PeakRssBytes = ReadPeakRss();
    }

    public void Dispose() => Stop();

    private void Sample()
    {
        while (!_stop)
        {
            var heap = GC.GetTotalMemory(false);
            if (heap > _peakHeap)
            {
                Interlocked.Exchange(ref _peakHeap, heap);
            }
            Thread.Sleep(2);
        }
    }

    private static bool TryResetPeakRss()
    {
        try
        {
            // "5" resets the peak resident set size (VmHWM) of the process (Linux >= 4.0).
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmHWM in bytes, else the process's peak working set.</summary>
    public static long ReadPeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
