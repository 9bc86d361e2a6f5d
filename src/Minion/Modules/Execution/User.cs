using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>user</c> module (read side): users from <c>/etc/passwd</c> and their groups from <c>/etc/group</c>.</summary>
[ExecutionModule("user")]
public sealed class UserModule : IExecutionModule
{
    private readonly IAccountDatabase _accounts;

    public UserModule(IAccountDatabase accounts)
    {
        _accounts = accounts;
        Functions =
        [
            new("getent", "Return info on all users as a list of user.info dicts.\n\nCLI Example: orch '*' user.getent", [Opt("refresh", false)],
                (_, _) => Task.FromResult<object?>(_accounts.Users().Select(u => (object?)Info(u)).ToList())),
            new("info", "Return user information: name, uid, gid, home, shell, passwd, fullname, roomnumber, workphone, homephone, other, groups. " +
                "An unknown user returns {}.\n\nCLI Example: orch '*' user.info root", [Req("name")], InfoFn),
            new("list_groups", "Return a sorted list of the groups the named user belongs to (primary group included).\n\n" +
                "CLI Example: orch '*' user.list_groups foo", [Req("name")],
                (c, _) => Task.FromResult<object?>(GroupsOf(c.RequireString("name")).Cast<object?>().ToList())),
            new("list_users", "Return a sorted list of all users.\n\nCLI Example: orch '*' user.list_users", [],
                (_, _) => Task.FromResult<object?>(_accounts.Users().Select(u => u.Name).Distinct().Order(StringComparer.Ordinal).Cast<object?>().ToList())),
            new("primary_group", "Return the name of the user's primary group.\n\nCLI Example: orch '*' user.primary_group saltadmin",
                [Req("name")], PrimaryGroup),
        ];
    }

    public string Doc => "Query local users: info, list_users, list_groups.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private Task<object?> InfoFn(ModuleCall call, CancellationToken cancellationToken)
    {
        var name = call.RequireString("name");
        var user = _accounts.Users().FirstOrDefault(u => u.Name == name);
        return Task.FromResult<object?>(user is null ? new Dictionary<string, object?>() : Info(user));
    }

    private Task<object?> PrimaryGroup(ModuleCall call, CancellationToken cancellationToken)
    {
        var name = call.RequireString("name");
        var user = _accounts.Users().FirstOrDefault(u => u.Name == name) ?? throw new ModuleException($"User '{name}' does not exist");
        return Task.FromResult<object?>(_accounts.Groups().FirstOrDefault(g => g.Gid == user.Gid)?.Name ?? user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private Dictionary<string, object?> Info(UserAccount user)
    {
        // GECOS: full name, room number, work phone, home phone, other.
        var gecos = user.Gecos.Split(',');
        string Field(int i) => i < gecos.Length ? gecos[i] : string.Empty;
        return new Dictionary<string, object?>
        {
            ["fullname"] = Field(0),
            ["gid"] = user.Gid,
            ["groups"] = GroupsOf(user.Name).Cast<object?>().ToList(),
            ["home"] = user.Home,
            ["homephone"] = Field(3),
            ["name"] = user.Name,
            ["other"] = gecos.Length > 4 ? string.Join(',', gecos[4..]) : string.Empty,
            ["passwd"] = user.Passwd,
            ["roomnumber"] = Field(1),
            ["shell"] = user.Shell,
            ["uid"] = user.Uid,
            ["workphone"] = Field(2),
        };
    }

    private List<string> GroupsOf(string name)
    {
        var user = _accounts.Users().FirstOrDefault(u => u.Name == name);
        return _accounts.Groups()
            .Where(g => g.Members.Contains(name) || (user is not null && g.Gid == user.Gid))
            .Select(g => g.Name)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
