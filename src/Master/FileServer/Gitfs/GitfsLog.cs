using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>Log messages of gitfs (event ids 1250–1299).</summary>
internal static partial class GitfsLog
{
    [LoggerMessage(1250, LogLevel.Warning, "{Role}: failed to update remote {Remote}; serving its last fetched commits: {Reason}")]
    public static partial void UpdateFailed(ILogger logger, string role, string remote, string reason);

    [LoggerMessage(1251, LogLevel.Information, "{Role}: updated remote {Remote} ({Changed})")]
    public static partial void Updated(ILogger logger, string role, string remote, bool changed);

    [LoggerMessage(1252, LogLevel.Information, "{Role}: update of remote {Remote} skipped, another update holds {LockFile}")]
    public static partial void Locked(ILogger logger, string role, string remote, string lockFile);

    [LoggerMessage(1253, LogLevel.Error, "{Role}: background update failed; next try in {Seconds} s")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string role, double seconds);

    [LoggerMessage(1254, LogLevel.Warning, "gitfs: cannot read remote {Remote}'s cache: {Reason}")]
    public static partial void ReadFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(1255, LogLevel.Warning, "{Role}: removing stale update lock {LockFile} left by a process that is gone")]
    public static partial void StaleLock(ILogger logger, string role, string lockFile);
}
