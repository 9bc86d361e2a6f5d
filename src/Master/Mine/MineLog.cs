using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Mine;

/// <summary>The master's mine log messages (event ids 1100–1149).</summary>
internal static partial class MineLog
{
    [LoggerMessage(1100, LogLevel.Debug, "Mine of {MinionId} updated: {Functions} (clear {Clear}, {Bytes} bytes stored)")]
    public static partial void Updated(ILogger logger, string minionId, string functions, bool clear, long bytes);

    [LoggerMessage(1101, LogLevel.Warning, "Mine update from {MinionId} refused: {Reason}")]
    public static partial void UpdateRefused(ILogger logger, string minionId, string reason);

    [LoggerMessage(1102, LogLevel.Debug, "Mine of {MinionId}: {Function} deleted")]
    public static partial void Deleted(ILogger logger, string minionId, string function);

    [LoggerMessage(1103, LogLevel.Debug, "Mine of {MinionId} flushed")]
    public static partial void Flushed(ILogger logger, string minionId);

    [LoggerMessage(1104, LogLevel.Debug, "Mine request from {Requester} for {Functions} on {TargetType} target {Target}: {Count} minions answered")]
    public static partial void Answered(ILogger logger, string requester, string functions, string targetType, string target, int count);

    [LoggerMessage(1105, LogLevel.Debug, "Mine request from {Requester} for {Function} on {MinionId} denied by its allow_tgt")]
    public static partial void AclDenied(ILogger logger, string requester, string function, string minionId);

    [LoggerMessage(1106, LogLevel.Warning, "Mine data of {MinionId} at {Path} is unreadable and ignored: {Reason}")]
    public static partial void Unreadable(ILogger logger, string minionId, string path, string reason);

    [LoggerMessage(1107, LogLevel.Information, "Mine of {MinionId} removed with its key")]
    public static partial void Forgotten(ILogger logger, string minionId);

    [LoggerMessage(1108, LogLevel.Warning, "Mine request from {Requester} refused: {Reason}")]
    public static partial void GetRefused(ILogger logger, string requester, string reason);
}
