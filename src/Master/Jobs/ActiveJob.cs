using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Jobs;

/// <summary>A job still inside its timeout: who must acknowledge it and who has returned.</summary>
public sealed class ActiveJob(JobPublish job, byte[] body, IReadOnlyCollection<string> expected, DateTimeOffset started, DateTimeOffset deadline)
{
    public JobPublish Job { get; } = job;

    /// <summary>The serialized publish body, sealed afresh for every (re-)send so each carries a new nonce.</summary>
    public byte[] Body { get; } = body;

    public HashSet<string> Expected { get; } = [.. expected];

    /// <summary>Expected minions that have neither acknowledged nor returned yet: the only ones a re-send round looks at.</summary>
    public HashSet<string> Pending { get; } = new(expected, StringComparer.Ordinal);

    public HashSet<string> Returned { get; } = new(StringComparer.Ordinal);

    /// <summary>Per minion: how often the job was re-sent and when the next re-send is due (exponential backoff).</summary>
    public Dictionary<string, (int Attempts, DateTimeOffset Due)> Resends { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Started { get; } = started;

    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>Records an ack (or a return); true the first time for an expected minion.</summary>
    public bool Acknowledge(string minionId) => Pending.Remove(minionId);
}
