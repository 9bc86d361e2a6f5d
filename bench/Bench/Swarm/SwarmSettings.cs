namespace Orchestrator.Bench.Swarm;

/// <summary>How one swarm process connects its share of simulated minions.</summary>
public sealed record SwarmSettings(
    string Master,
    int RetPort,
    int PublishPort,
    string MasterFingerprint,
    string KeyDirectory,
    int KeyPool,
    int First,
    int Count,
    int Loops,
    int AuthConcurrency,
    TimeSpan HeartbeatInterval,
    TimeSpan AuthTimeout,
    TimeSpan OutboxFlushInterval,
    TimeSpan ReplayWindow);
