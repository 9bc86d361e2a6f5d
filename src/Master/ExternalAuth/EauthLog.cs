using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>External auth, token and ACL log messages (event ids 1500–1549). None of them carries a password or a token.</summary>
internal static partial class EauthLog
{
    [LoggerMessage(1500, LogLevel.Information, "Eauth {Eauth}: user {User} authenticated")]
    public static partial void Authenticated(ILogger logger, string eauth, string user);

    [LoggerMessage(1501, LogLevel.Warning, "Eauth {Eauth}: authentication of user {User} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string eauth, string user, string reason);

    [LoggerMessage(1502, LogLevel.Error, "Eauth {Eauth}: the backend failed for user {User}")]
    public static partial void BackendFailed(ILogger logger, Exception exception, string eauth, string user);

    [LoggerMessage(1503, LogLevel.Information, "Eauth token issued to {User} ({Eauth}), valid until {Expire}")]
    public static partial void TokenIssued(ILogger logger, string user, string eauth, DateTimeOffset expire);

    [LoggerMessage(1504, LogLevel.Debug, "Eauth token of {User} ({Eauth}) expired and removed")]
    public static partial void TokenExpired(ILogger logger, string user, string eauth);

    [LoggerMessage(1505, LogLevel.Warning, "Eauth token file {File} is unreadable and removed: {Reason}")]
    public static partial void TokenUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(1506, LogLevel.Debug, "Eauth: {Count} expired tokens removed")]
    public static partial void TokensSwept(ILogger logger, int count);

    [LoggerMessage(1510, LogLevel.Warning, "Publisher ACL: {User} (uid {Uid}) refused {Operation}: {Reason}")]
    public static partial void IpcDenied(ILogger logger, string user, uint uid, string operation, string reason);

    [LoggerMessage(1511, LogLevel.Debug, "Publisher ACL: {User} (uid {Uid}) allowed {Operation}")]
    public static partial void IpcAllowed(ILogger logger, string user, uint uid, string operation);

    [LoggerMessage(1512, LogLevel.Warning, "IPC: cannot read the peer credentials of a connection, refused: {Reason}")]
    public static partial void PeerUnknown(ILogger logger, string reason);

    [LoggerMessage(1513, LogLevel.Information,
        "publisher_acl is set: the IPC socket {Socket} is open to local users (0666, directory 0711); each request is authorized by the peer's uid")]
    public static partial void SocketOpened(ILogger logger, string socket);
}
