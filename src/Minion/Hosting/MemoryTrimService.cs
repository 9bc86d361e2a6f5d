using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Hosting;

/// <summary>
/// Gives memory back once a busy spell is over: a minion idles most of its life, but after a few hundred jobs the GC keeps
/// the regions it grew into (12 MB committed for a 2 MB live heap, measured). When a check interval saw more than
/// <see cref="BusyBytes"/> allocated and the next one did not, one aggressive full collection decommits what is free.
/// </summary>
/// <remarks>
/// Start-up counts as busy: the first check, <see cref="StartupCheck"/> after the start, trims if start-up is over by then,
/// so an idle minion sits at its floor within seconds. After that, idle minions never trim (their heartbeats allocate a
/// few kilobytes); a trim of a minion's heap takes about a millisecond.
/// </remarks>
public sealed class MemoryTrimService : BackgroundService
{
    /// <summary>How often the allocation counter is looked at.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>When the first check comes, after the start.</summary>
    public static readonly TimeSpan StartupCheck = TimeSpan.FromSeconds(3);

    /// <summary>Allocation within one interval that counts as busy.</summary>
    public const long BusyBytes = 1024 * 1024;

    private readonly TimeProvider _time;
    private readonly ILogger<MemoryTrimService> _logger;
    private readonly Func<long> _allocatedBytes;
    private readonly Action _trim;

    public MemoryTrimService(TimeProvider time, ILogger<MemoryTrimService> logger)
        : this(time, logger, () => GC.GetTotalAllocatedBytes(), Trim)
    {
    }

    internal MemoryTrimService(TimeProvider time, ILogger<MemoryTrimService> logger, Func<long> allocatedBytes, Action trim)
    {
        _time = time;
        _logger = logger;
        _allocatedBytes = allocatedBytes;
        _trim = trim;
    }

    /// <summary>Trims done so far.</summary>
    public int Trims { get; private set; }

    /// <summary>Intervals looked at so far (a test waits on it between ticks of a fake clock).</summary>
    internal int Checks => Volatile.Read(ref _checks);

    private int _checks;

    private PeriodicTimer? _timer;
    private long _startedAllocated;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Made here, not in ExecuteAsync (which runs on its own thread): the intervals count from the start.
        _timer = new PeriodicTimer(StartupCheck, _time);
        _startedAllocated = _allocatedBytes();
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("started without StartAsync");
        var seen = _startedAllocated;
        var busy = true;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (timer.Period != Interval)
                {
                    timer.Period = Interval;
                }
                try
                {
                    var now = _allocatedBytes();
                    var allocated = now - seen;
                    seen = now;
                    if (allocated > BusyBytes)
                    {
                        busy = true;
                    }
                    else if (busy)
                    {
                        busy = false;
                        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
                        _trim();
                        Trims++;
                        seen = _allocatedBytes();
                        MinionLog.MemoryTrimmed(_logger, before / 1024, GC.GetGCMemoryInfo().TotalCommittedBytes / 1024);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    MinionLog.MemoryTrimFailed(_logger, e);
                }
                Interlocked.Increment(ref _checks);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static void Trim() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
