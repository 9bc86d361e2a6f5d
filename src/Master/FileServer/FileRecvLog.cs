using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.FileServer;

/// <summary>Log messages of <see cref="FileReceiver"/>, worded as Salt's master words them.</summary>
internal static partial class FileRecvLog
{
    [LoggerMessage(2860, LogLevel.Error, "Invalid file pointer: load[loc] < 0 (from {MinionId})")]
    public static partial void InvalidPointer(ILogger logger, string minionId);

    [LoggerMessage(2861, LogLevel.Error,
        "file_recv_max_size limit of {MaxMegabytes} MB exceeded! {Path} from {MinionId} will be truncated. To successfully push this file, " +
        "adjust file_recv_max_size to an integer (in MB) large enough to accommodate it.")]
    public static partial void TooLarge(ILogger logger, long maxMegabytes, string minionId, string path);

    [LoggerMessage(2862, LogLevel.Warning,
        "Attempt to write received file outside of master cache directory! Requested path: {Path} from {MinionId}. Access denied.")]
    public static partial void OutsideCache(ILogger logger, string minionId, string path);
}
