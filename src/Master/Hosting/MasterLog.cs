using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Hosting;

/// <summary>The master's log messages, with structured properties and stable event ids.</summary>
internal static partial class MasterLog
{
    [LoggerMessage(1001, LogLevel.Information, "Master listening on {Interface}: publish port {PublishPort}, request port {RetPort}")]
    public static partial void Listening(ILogger logger, string @interface, int publishPort, int retPort);

    [LoggerMessage(1002, LogLevel.Warning, "Dropped a frame of {Size} bytes (limit {Limit}); {Hidden} more since the last line")]
    public static partial void FrameOversized(ILogger logger, int size, int limit, long hidden);

    [LoggerMessage(1003, LogLevel.Debug, "Inbound queue full ({Capacity} requests): reading paused until the workers catch up")]
    public static partial void InboundPaused(ILogger logger, int capacity);

    [LoggerMessage(1004, LogLevel.Debug, "Reply to a disconnected peer dropped")]
    public static partial void ReplyDropped(ILogger logger);

    [LoggerMessage(1010, LogLevel.Warning, "Dropped {Reason} frame from {Peer}: {Detail}")]
    public static partial void FrameDropped(ILogger logger, string reason, string peer, string detail);

    [LoggerMessage(1020, LogLevel.Information, "Minion {MinionId} key is {KeyState}")]
    public static partial void KeyObserved(ILogger logger, string minionId, string keyState);

    [LoggerMessage(1021, LogLevel.Information, "Minion {MinionId} authenticated")]
    public static partial void Authenticated(ILogger logger, string minionId);

    [LoggerMessage(1022, LogLevel.Warning, "Minion {MinionId} failed authentication: {Reason}")]
    public static partial void AuthFailed(ILogger logger, string minionId, string reason);

    [LoggerMessage(1023, LogLevel.Information, "Session key rotated to generation {Generation} ({Reason})")]
    public static partial void SessionRotated(ILogger logger, int generation, string reason);

    [LoggerMessage(1030, LogLevel.Information, "Published job {Jid} {Fun} to {Target} ({MinionCount} minions expected)")]
    public static partial void JobPublished(ILogger logger, string jid, string fun, string target, int minionCount);

    [LoggerMessage(1031, LogLevel.Debug, "Re-sent job {Jid} to {MinionId}")]
    public static partial void JobRepublished(ILogger logger, string jid, string minionId);

    [LoggerMessage(1032, LogLevel.Debug, "Return of job {Jid} from {MinionId}")]
    public static partial void ReturnReceived(ILogger logger, string jid, string minionId);

    [LoggerMessage(1034, LogLevel.Error, "Could not store {Count} returns; they stay unacknowledged and will be re-sent")]
    public static partial void ReturnBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(1035, LogLevel.Information, "Took back {Count} jobs still inside their timeout from the job cache; minions that have not acknowledged them get them again")]
    public static partial void JobsRestored(ILogger logger, int count);

    [LoggerMessage(1033, LogLevel.Warning, "Minion {MinionId} tried to fire the reserved tag {Tag}")]
    public static partial void EventRefused(ILogger logger, string minionId, string tag);

    [LoggerMessage(1040, LogLevel.Error, "Request worker failed on a {Kind} from {MinionId}")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string kind, string minionId);

    [LoggerMessage(1050, LogLevel.Warning, "IPC request failed: {Op}")]
    public static partial void IpcFailed(ILogger logger, Exception exception, string op);

    [LoggerMessage(1060, LogLevel.Information, "Master shutting down")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(1070, LogLevel.Error, "Maintenance round {Loop} failed; the next round runs as scheduled")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception, string loop);

    [LoggerMessage(1071, LogLevel.Information, "Event {Tag} sent by {User}")]
    public static partial void EventSent(ILogger logger, string tag, string user);

    [LoggerMessage(1072, LogLevel.Error, "Background loop {Loop} failed; restarting it in {DelayMs} ms")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string loop, long delayMs);

    [LoggerMessage(1073, LogLevel.Warning, "Handshake frames throttled (peer {Peer}, id {MinionId}); {Hidden} more since the last line")]
    public static partial void AuthThrottled(ILogger logger, string peer, string minionId, long hidden);

    [LoggerMessage(1074, LogLevel.Warning, "Refused the key of new minion {MinionId}: {Max} keys already pending; {Hidden} more since the last line")]
    public static partial void PendingKeysFull(ILogger logger, string minionId, int max, long hidden);

    [LoggerMessage(1076, LogLevel.Critical, "Rendering SLS '{Sls}' failed, render error:\n{Error} (pillar of {MinionId})")]
    public static partial void PillarSlsFailed(ILogger logger, string sls, string minionId, string error);

    [LoggerMessage(1077, LogLevel.Critical, "Pillar render error: {Error} (pillar of {MinionId})")]
    public static partial void PillarRenderError(ILogger logger, string minionId, string error);

    [LoggerMessage(1075, LogLevel.Information, "Minion {MinionId} is stopping; marked down")]
    public static partial void MinionStopped(ILogger logger, string minionId);
}
