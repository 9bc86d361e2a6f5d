using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The <c>group</c> functions that change groups (Salt's groupadd module): add, delete, chgid, adduser, deluser.</summary>
internal static class GroupChanges
{
    public static ModuleFunction[] Functions(IProcessRunner runner) =>
    [
        new("add", "Add the specified group; True on success.\n\nCLI Example: orch '*' group.add foo 3456", [Req("name"), Opt("gid"), Opt("system", false),
            Opt("non_unique", false)], async (c, ct) =>
            {
                var args = new List<string>();
                if (c.GetString("gid") is { Length: > 0 } gid)
                {
                    args.AddRange(["-g", gid]);
                    if (c.GetBool("non_unique"))
                    {
                        args.Add("-o");
                    }
                }
                if (c.GetBool("system"))
                {
                    args.Add("-r");
                }
                args.Add(c.RequireString("name"));
                return await Ok(runner, "groupadd", args, ct).ConfigureAwait(false);
            }),
        new("adduser", "Add a user to the group; True on success.\n\nCLI Example: orch '*' group.adduser foo bar", [Req("name"), Req("username")],
            (c, ct) => Ok(runner, "gpasswd", ["-a", c.RequireString("username"), c.RequireString("name")], ct)),
        new("chgid", "Change the gid of the group; True on success.\n\nCLI Example: orch '*' group.chgid foo 4376", [Req("name"), Req("gid"),
            Opt("non_unique", false)], (c, ct) => Ok(runner, "groupmod",
                c.GetBool("non_unique") ? ["-g", c.RequireString("gid"), "-o", c.RequireString("name")] : ["-g", c.RequireString("gid"), c.RequireString("name")], ct)),
        new("delete", "Remove the named group; True on success.\n\nCLI Example: orch '*' group.delete foo", [Req("name")],
            (c, ct) => Ok(runner, "groupdel", [c.RequireString("name")], ct)),
        new("deluser", "Remove a user from the group; True on success (and when the user is not a member).\n\nCLI Example: orch '*' group.deluser foo bar",
            [Req("name"), Req("username")], (c, ct) => Ok(runner, "gpasswd", ["-d", c.RequireString("username"), c.RequireString("name")], ct)),
    ];

    private static async Task<object?> Ok(IProcessRunner runner, string tool, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        (await HostCommand.RunAsync(runner, tool, args, cancellationToken).ConfigureAwait(false)).ExitCode == 0;
}
