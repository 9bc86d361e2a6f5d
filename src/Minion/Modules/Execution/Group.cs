using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>group</c> module (read side): groups from <c>/etc/group</c>.</summary>
[ExecutionModule("group")]
public sealed class GroupModule : IExecutionModule
{
    private readonly IAccountDatabase _accounts;
    private readonly IProcessRunner _runner;

    /// <param name="accounts">Reads /etc/group.</param>
    /// <param name="runner">Runs groupadd/groupdel/groupmod/gpasswd for the functions that change groups.</param>
    public GroupModule(IAccountDatabase accounts, IProcessRunner? runner = null)
    {
        _accounts = accounts;
        _runner = runner ?? new SystemProcessRunner();
        Functions =
        [
            .. GroupChanges.Functions(_runner),
            new("getent", "Return info on all groups as a list of group.info dicts.\n\nCLI Example: orch '*' group.getent", [Opt("refresh", false)],
                (_, _) => Task.FromResult<object?>(_accounts.Groups().Select(g => (object?)Info(g)).ToList())),
            new("info", "Return information about a group: name, passwd, gid, members. An unknown group returns {}.\n\n" +
                "CLI Example: orch '*' group.info foo", [Req("name")], InfoFn),
            new("members", "Replace the members of a group with members_list (comma separated; gpasswd -M) and return True on success; " +
                "without members_list, return the current member names, comma separated.\n\nCLI Example: orch '*' group.members foo 'user1,user2'",
                [Req("name"), Opt("members_list")], MembersAsync),
        ];
    }

    public string Doc => "Query local groups: info, getent, members.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private async Task<object?> MembersAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var name = call.RequireString("name");
        if (call.GetString("members_list") is not { } list)
        {
            return string.Join(',', Find(name)?.Members ?? []);
        }
        var result = await HostCommand.RunAsync(_runner, "gpasswd", ["-M", list, name], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0;
    }

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
