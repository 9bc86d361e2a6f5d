namespace Orchestrator.Shared.Scheduling;

/// <summary>A run the scheduler decided on: what to call, and how its result travels.</summary>
/// <param name="Name">The job's name (Salt's <c>schedule</c> field of the return).</param>
/// <param name="Function">The function to call (the job's, or <c>skip_function</c> inside a skipped range).</param>
/// <param name="Args">Positional arguments.</param>
/// <param name="Kwargs">Keyword arguments.</param>
/// <param name="JidInclude">Whether the run gets a jid and counts toward <c>maxrunning</c>.</param>
/// <param name="ReturnJob">Whether the return goes to the master.</param>
/// <param name="MissedBy">How late the run starts against its fire time (zero when on time).</param>
public sealed record ScheduledRun(
    string Name, string Function, List<object?> Args, Dictionary<string, object?> Kwargs, bool JidInclude, bool ReturnJob, TimeSpan MissedBy);
