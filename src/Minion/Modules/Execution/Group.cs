using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>group</c> module (read side): groups from <c>/etc/group</c>.</summary>
[ExecutionModule("group")]
public sealed class GroupModule : IExecutionModule
{
    private readonly IAccountDatabase _accounts;

    public GroupModule(IAccountDatabase accounts)
    {
        _accounts = accounts;
        Functions =
        [
            new("getent", "Return info on all groups as a list of group.info dicts.\n\nCLI Example: orch '*' group.getent", [Opt("refresh", false)],
                (_, _) => Task.FromResult<object?>(_accounts.Groups().Select(g => (object?)Info(g)).ToList())),
            new("info", "Return information about a group: name, passwd, gid, members. An unknown group returns {}.\n\n" +
                "CLI Example: orch '*' group.info foo", [Req("name")], InfoFn),
            new("members", "Return the member names of a group, comma separated.\n\nCLI Example: orch '*' group.members foo", [Req("name")],
                (c, _) => Task.FromResult<object?>(string.Join(',', Find(c.RequireString("name"))?.Members ?? []))),
        ];
    }

    public string Doc => "Query local groups: info, getent, members.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private GroupAccount? Find(string name) => _accounts.Groups().FirstOrDefault(g => g.Name == name);

    private Task<object?> InfoFn(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Find(call.RequireString("name")) is { } group ? Info(group) : new Dictionary<string, object?>());

    private static Dictionary<string, object?> Info(GroupAccount group) => new()
    {
        ["gid"] = group.Gid,
        ["members"] = group.Members.Cast<object?>().ToList(),
        ["name"] = group.Name,
        ["passwd"] = group.Passwd,
    };
}
