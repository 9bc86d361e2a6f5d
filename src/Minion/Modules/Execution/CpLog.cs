using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Log messages of the <c>cp</c> module, worded as Salt's so an operator's log searches still find them.</summary>
internal static partial class CpLog
{
    [LoggerMessage(2850, LogLevel.Error, "Unable to fetch file {Url} from saltenv {Saltenv}.")]
    public static partial void UnableToFetch(ILogger logger, string url, string saltenv);

    [LoggerMessage(2851, LogLevel.Error, "Attempted to render template with unavailable engine {Engine}")]
    public static partial void UnavailableEngine(ILogger logger, string engine);

    [LoggerMessage(2852, LogLevel.Error, "Failed to render template with error: {Error}")]
    public static partial void TemplateFailed(ILogger logger, string error);

    [LoggerMessage(2853, LogLevel.Debug, "cp.push of '{Path}' refused: {Reason}, returning False")]
    public static partial void PushRefused(ILogger logger, string path, string reason);

    [LoggerMessage(2854, LogLevel.Error,
        "cp.push Failed transfer failed. Ensure master has 'file_recv' set to 'True' and that the file is not larger than the " +
        "'file_recv_max_size' setting on the master. ({Path}: {Reason})")]
    public static partial void PushFailed(ILogger logger, string path, string reason);
}
