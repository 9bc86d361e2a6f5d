using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Scheduling;

/// <summary>The master scheduler's log messages (event ids 1150-1199).</summary>
internal static partial class ScheduleLog
{
    [LoggerMessage(1150, LogLevel.Information, "Master schedule loaded: {Jobs} jobs, {Invalid} invalid, scheduler {State}")]
    public static partial void Loaded(ILogger logger, int jobs, int invalid, string state);

    [LoggerMessage(1151, LogLevel.Error, "Scheduled runner job {Job} ignored: {Reason}")]
    public static partial void JobInvalid(ILogger logger, string job, string reason);

    [LoggerMessage(1152, LogLevel.Information, "Running scheduled runner job {Job} ({Fun})")]
    public static partial void Running(ILogger logger, string job, string fun);

    [LoggerMessage(1153, LogLevel.Information, "Scheduled runner job {Job} ran as {Jid}, retcode {Retcode}")]
    public static partial void Ran(ILogger logger, string job, string jid, int retcode);

    [LoggerMessage(1154, LogLevel.Error, "Scheduled runner job {Job} failed; its error is in the job cache")]
    public static partial void RunFailed(ILogger logger, Exception exception, string job);

    [LoggerMessage(1155, LogLevel.Error, "Master schedule evaluation failed; the scheduler keeps running")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);
}
