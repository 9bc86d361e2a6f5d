using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Hosting;

/// <summary>The minion's log messages, with structured properties and stable event ids.</summary>
internal static partial class MinionLog
{
    [LoggerMessage(2001, LogLevel.Information, "Connecting to master {Master} (request port {MasterPort}, publish port {PublishPort})")]
    public static partial void Connecting(ILogger logger, string master, int masterPort, int publishPort);

    [LoggerMessage(2002, LogLevel.Information, "Authenticated with master {Fingerprint} as {MinionId}")]
    public static partial void Authenticated(ILogger logger, string fingerprint, string minionId);

    [LoggerMessage(2003, LogLevel.Warning, "Minion key is {KeyState} on the master; retrying in {Seconds}s")]
    public static partial void NotAccepted(ILogger logger, string keyState, double seconds);

    [LoggerMessage(2004, LogLevel.Warning, "Lost the master ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger logger, string reason, long delayMs);

    [LoggerMessage(2005, LogLevel.Error, "Master key refused: {Reason}")]
    public static partial void MasterKeyRefused(ILogger logger, string reason);

    [LoggerMessage(2006, LogLevel.Information, "Pinned the master key {Fingerprint} on first contact")]
    public static partial void MasterPinned(ILogger logger, string fingerprint);

    [LoggerMessage(2010, LogLevel.Warning, "Dropped publish: {Reason}")]
    public static partial void PublishDropped(ILogger logger, string reason);

    [LoggerMessage(2033, LogLevel.Critical, "Rendering SLS '{Sls}' failed, render error:\n{Error}")]
    public static partial void PillarSlsFailed(ILogger logger, string sls, string error);

    [LoggerMessage(2034, LogLevel.Critical, "Pillar render error: {Error}")]
    public static partial void PillarRenderError(ILogger logger, string error);

    [LoggerMessage(2032, LogLevel.Debug, "Skipped a publish that arrived before this minion authenticated (no master key pinned yet to check it with); jobs published before authentication are not for it")]
    public static partial void PublishBeforeAuth(ILogger logger);

    [LoggerMessage(2011, LogLevel.Information, "Running job {Jid} {Fun}")]
    public static partial void JobStarted(ILogger logger, string jid, string fun);

    [LoggerMessage(2012, LogLevel.Information, "Job {Jid} finished with retcode {Retcode} in {DurationMs} ms")]
    public static partial void JobFinished(ILogger logger, string jid, int retcode, double durationMs);

    [LoggerMessage(2013, LogLevel.Debug, "Return of job {Jid} kept in the outbox until the master acknowledges it")]
    public static partial void ReturnKept(ILogger logger, string jid);

    [LoggerMessage(2014, LogLevel.Warning, "Outbox entry {File} unreadable; moved aside")]
    public static partial void OutboxCorrupt(ILogger logger, Exception exception, string file);

    [LoggerMessage(2020, LogLevel.Information, "Minion shutting down")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(2021, LogLevel.Error, "Unexpected error in the connection loop")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(2030, LogLevel.Error, "A local event handler failed on {Tag}")]
    public static partial void LocalEventHandlerFailed(ILogger logger, Exception exception, string tag);

    [LoggerMessage(2035, LogLevel.Information, "A publish signed by the master could not be opened with this minion's keys; checking the session now")]
    public static partial void SessionCheckEarly(ILogger logger);

    [LoggerMessage(2031, LogLevel.Warning, "Changed grains not sent to the master now ({Reason}); the next start announcement carries them")]
    public static partial void GrainsNotAnnounced(ILogger logger, string reason);

    [LoggerMessage(2036, LogLevel.Debug, "Memory given back after a busy spell: GC committed {BeforeKb} KB -> {AfterKb} KB")]
    public static partial void MemoryTrimmed(ILogger logger, long beforeKb, long afterKb);

    [LoggerMessage(2037, LogLevel.Warning, "Giving memory back failed; trying again after the next busy spell")]
    public static partial void MemoryTrimFailed(ILogger logger, Exception exception);
}
