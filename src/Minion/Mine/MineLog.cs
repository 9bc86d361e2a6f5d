using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Mine;

/// <summary>The minion's mine log messages (event ids 2600–2649).</summary>
internal static partial class MineLog
{
    [LoggerMessage(2600, LogLevel.Debug, "Mine data of {MinionId} sent: {Functions} (clear {Clear})")]
    public static partial void Sent(ILogger logger, string minionId, string functions, bool clear);

    [LoggerMessage(2601, LogLevel.Error, "Function {Function} in mine_functions not available")]
    public static partial void FunctionMissing(ILogger logger, string function);

    [LoggerMessage(2602, LogLevel.Error, "Function {Function} in the mine failed to execute: {Error}")]
    public static partial void FunctionFailed(ILogger logger, string function, string error);

    [LoggerMessage(2603, LogLevel.Warning, "Mine update failed: {Error}")]
    public static partial void UpdateFailed(ILogger logger, string error);

    [LoggerMessage(2604, LogLevel.Debug, "Mine updates every {Interval} (mine_interval), the first now")]
    public static partial void Scheduled(ILogger logger, TimeSpan interval);

    [LoggerMessage(2605, LogLevel.Debug, "Mine updates are off (mine_enabled: False)")]
    public static partial void Disabled(ILogger logger);
}
