namespace Orchestrator.Shared.Scheduling;

/// <summary>What decides a scheduled job's fire times: exactly one per job, as Salt allows.</summary>
public enum ScheduleTrigger
{
    /// <summary><c>seconds</c>, <c>minutes</c>, <c>hours</c>, <c>days</c>, summed.</summary>
    Interval,

    /// <summary>A cron expression (<c>cron</c>).</summary>
    Cron,

    /// <summary>One or more times of day or dates (<c>when</c>).</summary>
    When,

    /// <summary>One date and time (<c>once</c>, read with <c>once_fmt</c>).</summary>
    Once,
}
