using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Cloud;

/// <summary>The cloud runner's log messages (event ids 1200–1249).</summary>
internal static partial class CloudLog
{
    [LoggerMessage(1200, LogLevel.Information, "Creating cloud node {Name} from profile {Profile} on {Provider}")]
    public static partial void Creating(ILogger logger, string name, string? profile, string provider);

    [LoggerMessage(1201, LogLevel.Information, "Cloud node {Name} started its minion (pid {Pid}) in {RootDir}")]
    public static partial void Started(ILogger logger, string name, int pid, string rootDir);

    [LoggerMessage(1202, LogLevel.Information, "Cloud node {Name} created in {ElapsedMs} ms")]
    public static partial void Created(ILogger logger, string name, long elapsedMs);

    [LoggerMessage(1203, LogLevel.Error, "Creating cloud node {Name} failed, undoing what was done: {Reason}")]
    public static partial void CreateFailed(ILogger logger, string name, string reason);

    [LoggerMessage(1204, LogLevel.Warning, "Undoing cloud node {Name}: {Step} failed: {Reason}")]
    public static partial void RollbackStepFailed(ILogger logger, string name, string step, string reason);

    [LoggerMessage(1210, LogLevel.Information, "Destroying cloud node {Name} ({Provider})")]
    public static partial void Destroying(ILogger logger, string name, string provider);

    [LoggerMessage(1211, LogLevel.Information, "Cloud node {Name} destroyed: minion {ProcessEnd}")]
    public static partial void Destroyed(ILogger logger, string name, string processEnd);

    [LoggerMessage(1212, LogLevel.Error, "Destroying cloud node {Name} failed: {Reason}")]
    public static partial void DestroyFailed(ILogger logger, string name, string reason);

    [LoggerMessage(1220, LogLevel.Debug, "netns: {Command}")]
    public static partial void NetnsCommand(ILogger logger, string command);

    [LoggerMessage(1221, LogLevel.Warning, "netns teardown of {Name}: {Command} failed: {Reason}")]
    public static partial void NetnsTeardownFailed(ILogger logger, string name, string command, string reason);
}
