namespace Orchestrator.Shared.Scheduling;

/// <summary>What one evaluation of the schedule decided: the runs to start now, and the jobs that could not be evaluated.</summary>
/// <param name="Runs">Runs due now, in job-name order.</param>
/// <param name="Problems">Jobs whose times could not be read at this evaluation (logged by the host; the job is skipped).</param>
public sealed record ScheduleTick(IReadOnlyList<ScheduledRun> Runs, IReadOnlyList<ScheduleProblem> Problems);
