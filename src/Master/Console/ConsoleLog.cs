using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.WebConsole;

/// <summary>The web console's log messages (event ids 1600–1619).</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(1600, LogLevel.Information, "Web console served under {BasePath} ({Files} files)")]
    public static partial void Mapped(ILogger logger, string basePath, int files);

    [LoggerMessage(1601, LogLevel.Debug, "Web console has no file {Path}")]
    public static partial void NotFound(ILogger logger, string path);

    [LoggerMessage(1602, LogLevel.Warning, "Web console: orch-master carries no console files (embedded resources under console/); {BasePath} answers 404")]
    public static partial void NoAssets(ILogger logger, string basePath);
}
