namespace Orchestrator.Master.Jobs;

/// <summary>One step of a published job as <see cref="JobReturnCollector"/> follows it.</summary>
public sealed record JobProgress(JobProgressKind Kind)
{
    /// <summary><see cref="JobProgressKind.Started"/>: every minion the job went to.</summary>
    public IReadOnlyList<string> Minions { get; init; } = [];

    /// <summary><see cref="JobProgressKind.Returned"/>: the minion and its return event's data (<c>return</c>, <c>retcode</c>, <c>success</c>, <c>out</c>).</summary>
    public string MinionId { get; init; } = "";

    public Dictionary<string, object?> Data { get; init; } = new(StringComparer.Ordinal);

    /// <summary><see cref="JobProgressKind.Ended"/>: minions that did not return though they were up.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary><see cref="JobProgressKind.Ended"/>: minions known to be down that did not return either.</summary>
    public IReadOnlyList<string> NotConnected { get; init; } = [];
}
