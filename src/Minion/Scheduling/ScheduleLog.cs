using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Scheduling;

/// <summary>The minion scheduler's log messages (event ids 2700-2749).</summary>
internal static partial class ScheduleLog
{
    [LoggerMessage(2700, LogLevel.Information, "Schedule loaded: {Jobs} jobs, {Invalid} invalid, scheduler {State}")]
    public static partial void Loaded(ILogger logger, int jobs, int invalid, string state);

    [LoggerMessage(2701, LogLevel.Error, "Scheduled job {Job} ignored: {Reason}")]
    public static partial void JobInvalid(ILogger logger, string job, string reason);

    [LoggerMessage(2702, LogLevel.Error, "{Source}: schedule ignored: {Reason}")]
    public static partial void SourceInvalid(ILogger logger, string source, string reason);

    [LoggerMessage(2703, LogLevel.Information, "Running scheduled job {Job} ({Fun}) with jid {Jid}{Missed}")]
    public static partial void Running(ILogger logger, string job, string fun, string jid, string missed);

    [LoggerMessage(2704, LogLevel.Error, "Schedule evaluation failed; the scheduler keeps running")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);

    [LoggerMessage(2705, LogLevel.Error, "Scheduled job {Job} failed to start")]
    public static partial void RunFailed(ILogger logger, Exception exception, string job);

    [LoggerMessage(2706, LogLevel.Information, "Schedule saved to {Path}")]
    public static partial void Saved(ILogger logger, string path);

    [LoggerMessage(2707, LogLevel.Warning, "Cannot {Action} scheduled job {Job}: it is in the pillar")]
    public static partial void InPillar(ILogger logger, string action, string job);
}
