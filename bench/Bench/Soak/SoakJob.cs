namespace Orchestrator.Bench.Soak;

/// <summary>What a soak job does.</summary>
public enum JobKind
{
    /// <summary><c>test.ping</c> to some real minions.</summary>
    Ping,

    /// <summary><c>cmd.run</c> appending the job's token to the minion's runs file: shows how often it ran.</summary>
    Cmd,

    /// <summary><c>test.sleep</c> of a few seconds: long enough to be running when a daemon dies.</summary>
    Sleep,

    /// <summary><c>test.ping</c> to every real minion after a chaos action, to time the recovery.</summary>
    Probe,

    /// <summary><c>test.ping</c> to the simulated minions (load).</summary>
    Swarm,
}

/// <summary>
/// One job the soak published: its token (the job's <c>user</c>, and the line a cmd.run job appends) and, once the master
/// answered, its jid and the minions it expects returns from.
/// </summary>
public sealed class SoakJob
{
    public required int Seq { get; init; }

    public required string Token { get; init; }

    public required JobKind Kind { get; init; }

    public required string Function { get; init; }

    public required DateTime PublishedAt { get; init; }

    public string? Jid { get; set; }

    public IReadOnlyList<string> Expected { get; set; } = [];

    /// <summary>The publish failed or timed out without a jid; the audit looks for it in the job cache by its token.</summary>
    public string? PublishError { get; set; }
}
