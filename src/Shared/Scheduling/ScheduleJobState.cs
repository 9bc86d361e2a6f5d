namespace Orchestrator.Shared.Scheduling;

/// <summary>What the engine remembers of one job between evaluations (Salt's <c>_next_fire_time</c>, <c>_splay</c>...).</summary>
internal sealed class ScheduleJobState(ScheduleJob job)
{
    public ScheduleJob Job { get; } = job;

    /// <summary>Interval and cron: the next fire time before splay.</summary>
    public DateTimeOffset? NextFire { get; set; }

    /// <summary>When and once: a fire time that came and is waiting for its splay (or for this evaluation).</summary>
    public DateTimeOffset? Pending { get; set; }

    /// <summary>The fire time with its splay added, once drawn.</summary>
    public DateTimeOffset? SplayAt { get; set; }

    /// <summary>The last <c>when</c> time taken, so one time fires once.</summary>
    public DateTimeOffset? LastWhen { get; set; }

    public bool RunOnStartPending { get; set; } = job.RunOnStart;

    public bool OnceDone { get; set; }

    public DateTimeOffset? LastRun { get; set; }

    /// <summary>Why the last due time did not run (Salt's <c>_skip_reason</c>), or null.</summary>
    public string? SkipReason { get; set; }
}
