using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Api;

/// <summary>The REST API's log messages (event ids 1550–1599). None carries a password or a token.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(1550, LogLevel.Information, "REST API listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(1551, LogLevel.Information, "REST API stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(1552, LogLevel.Information, "API login of {User} (eauth {Eauth}) from {Client}")]
    public static partial void LoggedIn(ILogger logger, string user, string eauth, string client);

    [LoggerMessage(1553, LogLevel.Warning, "API login refused for {User} (eauth {Eauth}) from {Client}")]
    public static partial void LoginRefused(ILogger logger, string user, string eauth, string client);

    [LoggerMessage(1554, LogLevel.Warning, "API login rate limit hit by {Client} ({Limit} per minute)")]
    public static partial void LoginRateLimited(ILogger logger, string client, int limit);

    [LoggerMessage(1555, LogLevel.Information, "API logout of {User}")]
    public static partial void LoggedOut(ILogger logger, string user);

    [LoggerMessage(1556, LogLevel.Warning, "API request {Method} {Path} from {Client} refused: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string client, string reason);

    [LoggerMessage(1557, LogLevel.Warning, "API ACL denied {User}: {Client} {Fun} on target {Target} ({TargetType}): {Reason}")]
    public static partial void AclDenied(ILogger logger, string user, string client, string fun, string target, string targetType, string reason);

    [LoggerMessage(1558, LogLevel.Information, "API {Client} {Fun} on {Target} by {User}")]
    public static partial void Executing(ILogger logger, string client, string fun, string target, string user);

    [LoggerMessage(1559, LogLevel.Warning, "API request {Method} {Path} failed with {Status}: {Message}")]
    public static partial void BadRequest(ILogger logger, string method, string path, int status, string message);

    [LoggerMessage(1560, LogLevel.Error, "API request {Method} {Path} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(1561, LogLevel.Information, "API event stream ({Kind}) opened by {User} from {Client}")]
    public static partial void StreamOpened(ILogger logger, string kind, string user, string client);

    [LoggerMessage(1562, LogLevel.Information, "API event stream ({Kind}) of {User} closed: {Reason}")]
    public static partial void StreamClosed(ILogger logger, string kind, string user, string reason);

    [LoggerMessage(1563, LogLevel.Warning, "API event stream of {User} lost {Count} events (reader too slow)")]
    public static partial void StreamDropped(ILogger logger, string user, long count);

    [LoggerMessage(1564, LogLevel.Information, "API webhook fired {Tag} from {Client}")]
    public static partial void HookFired(ILogger logger, string tag, string client);

    [LoggerMessage(1565, LogLevel.Warning, "REST API serves plain HTTP on {Address} (disable_ssl on a loopback host)")]
    public static partial void PlainHttp(ILogger logger, string address);
}
