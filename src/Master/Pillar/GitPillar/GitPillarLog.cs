using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>Log messages of git_pillar and of clearing git locks (event ids 1300–1329).</summary>
internal static partial class GitPillarLog
{
    [LoggerMessage(1300, LogLevel.Warning, "{Role}: removed update lock {LockFile} of remote {Remote} on request")]
    public static partial void LockCleared(ILogger logger, string role, string remote, string lockFile);

    [LoggerMessage(1301, LogLevel.Warning, "git_pillar: remote {Remote} has no fetched commit for branch {Branch}; it adds nothing to pillar")]
    public static partial void NoCommit(ILogger logger, string remote, string branch);

    [LoggerMessage(1302, LogLevel.Warning, "git_pillar: cannot read remote {Remote}'s cache: {Reason}")]
    public static partial void ReadFailed(ILogger logger, string remote, string reason);

    [LoggerMessage(1304, LogLevel.Error, "git_pillar: rendering SLS {Sls} of remote {Remote} for minion {MinionId} failed: {Reason}")]
    public static partial void SlsFailed(ILogger logger, string sls, string remote, string minionId, string reason);
}
