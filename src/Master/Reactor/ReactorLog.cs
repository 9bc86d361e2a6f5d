using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Reactor;

/// <summary>The reactor's log messages (event ids 1400-1499).</summary>
internal static partial class ReactorLog
{
    [LoggerMessage(1400, LogLevel.Information,
        "Reactor started: {RuleCount} rules, {Workers} workers, queue {Capacity}, rate limit {RateCount} actions per rule per {RatePerSeconds} s, de-duplication window {DedupSeconds} s")]
    public static partial void Started(ILogger logger, int ruleCount, int workers, int capacity, int rateCount, double ratePerSeconds, double dedupSeconds);

    [LoggerMessage(1401, LogLevel.Information, "Reactor {Rule}: {Id} ran {Fun} for {Tag} ({Detail})")]
    public static partial void ActionRan(ILogger logger, string rule, string id, string fun, string tag, string detail);

    [LoggerMessage(1402, LogLevel.Error, "Reactor {Rule}: {Id} ({File}, line {Line}) failed to run {Fun} for {Tag}: {Error}")]
    public static partial void ActionFailed(ILogger logger, string rule, string id, string file, int line, string fun, string tag, string error);

    [LoggerMessage(1403, LogLevel.Error, "Reactor {Rule}: cannot render {File} (line {Line}) for {Tag}: {Error}")]
    public static partial void RenderFailed(ILogger logger, string rule, string file, int line, string tag, string error);

    [LoggerMessage(1404, LogLevel.Warning,
        "Reactor queue full ({Capacity} matched events waiting, reactor_worker_hwm): dropped {Dropped} since the last report, the latest for {Tag}")]
    public static partial void QueueFull(ILogger logger, int capacity, long dropped, string tag);

    [LoggerMessage(1405, LogLevel.Warning,
        "Reactor {Rule}: rate limit of {Count} actions per {PerSeconds} s reached; {Skipped} skipped since the last report (reactor_rate_limit)")]
    public static partial void RateLimited(ILogger logger, string rule, int count, double perSeconds, long skipped);

    [LoggerMessage(1406, LogLevel.Debug, "Reactor {Rule}: {Id} {Fun} already ran within the de-duplication window; skipped")]
    public static partial void Deduplicated(ILogger logger, string rule, string id, string fun);

    [LoggerMessage(1407, LogLevel.Warning, "Reactor: {Warning}")]
    public static partial void ArgumentIgnored(ILogger logger, string warning);

    [LoggerMessage(1408, LogLevel.Error, "Reactor worker failed on {Tag}; it goes on with the next event")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string tag);

    [LoggerMessage(1409, LogLevel.Error, "Reactor map {Path} cannot be read; the previous rules stay: {Error}")]
    public static partial void MapFileFailed(ILogger logger, string path, string error);

    [LoggerMessage(1410, LogLevel.Information, "Reactor stopped; {Left} matched events were still queued and are dropped")]
    public static partial void Stopped(ILogger logger, int left);

    [LoggerMessage(1411, LogLevel.Information, "Reactor rule {Change}: {Rule}")]
    public static partial void RuleChanged(ILogger logger, string change, string rule);
}
