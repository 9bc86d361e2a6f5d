namespace Orchestrator.Bench.Swarm;

/// <summary>
/// How one swarm process connects its share of simulated minions. With <see cref="WaitForStart"/>, the process loads its
/// keys, reports <c>loaded</c> and starts no handshake before the controller's <c>start</c>: minions that are already
/// running when their master comes up, so the auth figure is the master's and not the swarm's key loading.
/// </summary>
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
    TimeSpan ReplayWindow,
    bool WaitForStart = false);
