namespace Orchestrator.Shared.Scheduling;

/// <summary>A scheduled job's definition cannot be used; the message names the option at fault.</summary>
public sealed class ScheduleConfigException(string message) : Exception(message);
