namespace Orchestrator.Bench.Soak;

/// <summary>One row of the memory table: RSS and open descriptors of the daemons (0 while one is down) and the accounting so far.</summary>
public sealed record MemorySample(
    TimeSpan Elapsed,
    long MasterRssKb,
    int MasterIncarnation,
    IReadOnlyList<long> MinionRssKb,
    int MasterFds,
    int MinionFdsMax,
    long SwarmRssKb,
    int Jobs,
    long Stored,
    long Pending,
    long Lost,
    long KilledMidJob,
    long RanTwice,
    int ChaosActions);
