using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Log messages of the execution modules called from templates (<c>log.*</c>, fall-backs Salt warns about).</summary>
internal static partial class ExecutionLog
{
    [LoggerMessage(2500, LogLevel.Debug, "{Message}")]
    public static partial void TemplateDebug(ILogger logger, string message);

    [LoggerMessage(2501, LogLevel.Information, "{Message}")]
    public static partial void TemplateInfo(ILogger logger, string message);

    [LoggerMessage(2502, LogLevel.Warning, "{Message}")]
    public static partial void TemplateWarning(ILogger logger, string message);

    [LoggerMessage(2503, LogLevel.Error, "{Message}")]
    public static partial void TemplateError(ILogger logger, string message);

    [LoggerMessage(2504, LogLevel.Critical, "{Message}")]
    public static partial void TemplateCritical(ILogger logger, string message);

    [LoggerMessage(2510, LogLevel.Warning, "Unknown merging strategy '{Strategy}', fallback to recurse")]
    public static partial void UnknownMergeStrategy(ILogger logger, string strategy);
}
