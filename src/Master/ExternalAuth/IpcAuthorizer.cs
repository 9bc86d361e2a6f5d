using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// Salt's <c>publisher_acl</c> for the orch CLI: who is calling is read from the socket (SO_PEERCRED); root and the
/// master's user may do anything, users in <c>publisher_acl</c> what their permissions allow (a publish as the
/// <c>local</c> client, a runner as <c>@runner</c>, key operations as Salt's <c>key.*</c> wheel functions), nobody else
/// anything but <c>ping</c>. <c>publisher_acl_blacklist</c> refuses its users and functions for every caller, as Salt's does.
/// </summary>
public sealed class IpcAuthorizer(EauthOptions options, AclChecker acl, ILogger<IpcAuthorizer> logger)
{
    private const int SolSocket = 1;
    private const int SoPeercred = 17;
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly uint _masterUid = SystemUsers.EffectiveUid;

    /// <summary>
    /// Creates the socket directory with its mode and returns the socket's mode: 0700/0600 normally; with a
    /// <c>publisher_acl</c> 0711/0666, because other local users must be able to connect at all. That is safe only because
    /// every request is then authorized by the peer's uid, which the kernel reports and the client cannot forge.
    /// </summary>
    public UnixFileMode PrepareSocketDirectory(string sockDir, string socketPath)
    {
        var open = options.PublisherAclEnabled;
        var directoryMode = open ? OwnerAll | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : OwnerAll;
        Directory.CreateDirectory(sockDir, directoryMode);
        File.SetUnixFileMode(sockDir, directoryMode);
        if (open)
        {
            EauthLog.SocketOpened(logger, socketPath);
            return UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        }
        return UnixFileMode.UserRead | UnixFileMode.UserWrite;
    }

    /// <summary>The user on the other end of <paramref name="client"/>; null (logged) when the kernel cannot say.</summary>
    public IpcCaller? Identify(Socket client)
    {
        uint uid;
        try
        {
            // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            var credentials = new byte[12];
            if (client.GetRawSocketOption(SolSocket, SoPeercred, credentials) < 12)
            {
                EauthLog.PeerUnknown(logger, "short SO_PEERCRED answer");
                return null;
            }
            uid = BitConverter.ToUInt32(credentials, 4);
        }
        catch (SocketException e)
        {
            EauthLog.PeerUnknown(logger, e.Message);
            return null;
        }
        var privileged = uid == 0 || uid == _masterUid;
        var name = SystemUsers.NameOf(uid) ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Only publisher_acl's group% entries need the groups; privileged callers never do.
        var groups = privileged || !options.PublisherAclEnabled ? [] : SystemUsers.GroupsOf(name);
        return new IpcCaller(uid, name, privileged, groups);
    }

    /// <summary>Null when <paramref name="caller"/> may make <paramref name="request"/>; otherwise the refusal, already logged.</summary>
    public string? Authorize(IpcCaller caller, string op, Dictionary<string, object?> request)
    {
        var refusal = Refusal(caller, op, request);
        if (refusal is null)
        {
            EauthLog.IpcAllowed(logger, caller.Name, caller.Uid, Describe(op, request));
        }
        else
        {
            EauthLog.IpcDenied(logger, caller.Name, caller.Uid, Describe(op, request), refusal);
        }
        return refusal;
    }

    private string? Refusal(IpcCaller caller, string op, Dictionary<string, object?> request)
    {
        if (op == "ping")
        {
            return null;
        }
        var function = op switch
        {
            "publish" or "runner" => Text(request, "fun"),
            "events" => "state.event",
            _ => "",
        };
        if (options.Blacklisted(caller.Name, function) is { } blacklisted)
        {
            return blacklisted;
        }
        if (caller.Privileged)
        {
            return null;
        }
        var perms = PermissionList.For(options.PublisherAcl, caller.Name, caller.Groups);
        if (perms.Count == 0)
        {
            return $"user {caller.Name} is not permitted to use the master: the user has no publisher_acl entry";
        }
        var check = op switch
        {
            "publish" => acl.Check(perms, new AclRequest(AclClient.Local, function, Args(request), Kwargs(request),
                Text(request, "tgt", "*"), Text(request, "tgt_type", "glob")), caller.Name),
            "runner" => acl.Check(perms, new AclRequest(AclClient.Runner, function, Args(request), Kwargs(request)), caller.Name),
            "events" => acl.Check(perms, new AclRequest(AclClient.Runner, function, [], new Dictionary<string, object?>()), caller.Name),
            "key" => acl.Check(perms, KeyRequest(request), caller.Name),
            // The minion ids a target resolves to: what any user with a publisher_acl entry could learn by publishing.
            "expected" => new AclDecision(true, ""),
            _ => new AclDecision(false, $"user {caller.Name} is not permitted to make request '{op}'"),
        };
        if (check.Allowed && op == "publish")
        {
            // Allowed for the minions it was checked on: the job goes to exactly those (AclDecision.Minions).
            (request["tgt"], request["tgt_type"]) = check.TargetFor(Text(request, "tgt", "*"), Text(request, "tgt_type", "glob"));
        }
        return check.Allowed ? null : check.Reason;
    }

    /// <summary>A key request as the Salt wheel function it is (<c>key.list_all</c>, <c>key.accept</c>...), its options as kwargs.</summary>
    private static AclRequest KeyRequest(IReadOnlyDictionary<string, object?> request)
    {
        var action = Text(request, "action", "list");
        var function = action switch
        {
            "list" when request.GetValueOrDefault("state") is null => "key.list_all",
            "matching" => "key.name_match",
            _ => "key." + action,
        };
        var kwargs = request.Where(kv => kv.Key is not ("op" or "action" or "user"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new AclRequest(AclClient.Wheel, function, [], kwargs);
    }

    private static string Describe(string op, IReadOnlyDictionary<string, object?> request) => op switch
    {
        "publish" => $"publish of '{Text(request, "fun")}' to {Text(request, "tgt_type", "glob")} target '{Text(request, "tgt", "*")}'",
        "runner" => $"runner '{Text(request, "fun")}'",
        "key" => $"key {Text(request, "action", "list")} '{Text(request, "match", "*")}'",
        _ => op,
    };

    private static string Text(IReadOnlyDictionary<string, object?> request, string key, string fallback = "") =>
        request.GetValueOrDefault(key) is { } value ? DataTree.KeyToString(value) : fallback;

    private static List<object?> Args(IReadOnlyDictionary<string, object?> request) => request.GetValueOrDefault("arg") as List<object?> ?? [];

    private static Dictionary<string, object?> Kwargs(IReadOnlyDictionary<string, object?> request) =>
        request.GetValueOrDefault("kwarg") as Dictionary<string, object?> ?? new(StringComparer.Ordinal);
}
