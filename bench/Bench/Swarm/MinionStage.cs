namespace Orchestrator.Bench.Swarm;

/// <summary>Where a simulated minion is in its handshake.</summary>
public enum MinionStage
{
    Idle,
    HelloSent,
    ProofSent,
    StartSent,
    Waiting,
    Ready,
}
