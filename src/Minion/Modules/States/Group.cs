using Orchestrator.Shared.Data;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>group</c> states over the <c>group.*</c> execution functions (groupadd, groupmod, gpasswd).</summary>
[StateModule("group")]
public sealed class GroupState : IStateModule
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Management of user groups: present (gid, members, addusers, delusers) or absent.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", _name, PresentAsync,
            "Ensure that a group is present.\n\nname (str)\n    The name of the group to manage\n\ngid (str)\n    The group id to assign to the " +
            "named group; if left empty, then the next available group id will be assigned.\n\nsystem (bool)\n    Whether or not the named group " +
            "is a system group. This is essentially the '-r' option of 'groupadd'.\n\naddusers (list)\n    List of additional users to be added " +
            "as a group members. Cannot conflict with names in delusers. Cannot be used in conjunction with members.\n\ndelusers (list)\n    " +
            "Ensure these user are removed from the group membership. Cannot conflict with names in addusers. Cannot be used in conjunction " +
            "with members.\n\nmembers (list)\n    Replace existing group members with a list of new members. Cannot be used in conjunction with " +
            "addusers or delusers.\n\nnon_unique (bool)\n    Allow creating groups with duplicate (non-unique) GIDs\n\n    cheese:\n      " +
            "group.present:\n        - gid: 7648\n        - system: True\n        - addusers:\n          - user1\n        - delusers:\n" +
            "          - foo\n\nMembers are not checked against the user database: a member that does not exist makes gpasswd fail, and the " +
            "state then reports the changes it could not apply."),
        new("absent", _name, AbsentAsync, "Ensure that the named group is absent.\n\nname (str)\n    The name of the group to remove"),
    ];

    private static Task<object?> Call(StateCall c, string function, object?[] args, Dictionary<string, object?>? kwargs = null) =>
        StateInvoke.CallAsync(c, "group." + function, args, kwargs, CancellationToken.None);

    private static List<string>? Names(StateCall c, string key) => c.GetList(key)?.Select(PyText.Str).ToList();

    /// <summary>Salt's <c>_changes</c>: null when the group does not exist; an "Invalid gid" failure as a string.</summary>
    private static async Task<(Dictionary<string, object?>? Changes, string? Error)> ChangesAsync(StateCall c, List<string>? addusers,
        List<string>? delusers, List<string>? members)
    {
        if (await Call(c, "info", [c.Name]).ConfigureAwait(false) is not Dictionary<string, object?> { Count: > 0 } info)
        {
            return (null, null);
        }
        var have = (info.GetValueOrDefault("members") as List<object?> ?? []).Select(PyText.Str).ToList();
        var change = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (c["gid"] is { } gidValue && DataTree.IsTruthy(gidValue))
        {
            if (!long.TryParse(PyText.Str(gidValue), out var gid))
            {
                return (null, "Invalid gid");
            }
            if (info.GetValueOrDefault("gid") is not long current || current != gid)
            {
                change["gid"] = gid;
            }
        }
        if (members is { Count: 0 })
        {
            if (have.Count > 0)
            {
                change["delusers"] = have.Cast<object?>().ToList();
            }
        }
        else if (members is not null && !new HashSet<string>(have).SetEquals(members))
        {
            change["members"] = members.Cast<object?>().ToList();
        }
        if (addusers is { Count: > 0 } && addusers.Where(u => !have.Contains(u)).ToList() is { Count: > 0 } toAdd)
        {
            change["addusers"] = toAdd.Cast<object?>().ToList();
        }
        if (delusers is { Count: > 0 } && delusers.Where(have.Contains).ToList() is { Count: > 0 } toDel)
        {
            change["delusers"] = toDel.Cast<object?>().ToList();
        }
        return (change, null);
    }

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ret = StateReturn.Ok(name, $"Group {name} is present and up to date");
        var members = Names(c, "members");
        var addusers = Names(c, "addusers");
        var delusers = Names(c, "delusers");
        var nonUnique = c.GetBool("non_unique");
        if (members is not null && (addusers is not null || delusers is not null))
        {
            ret.Result = null;
            ret.Comment = "Error: Conflicting options \"members\" with \"addusers\" and/or \"delusers\" can not be used together. ";
            return ret;
        }
        if (addusers is { Count: > 0 } && delusers is { Count: > 0 } && addusers.Intersect(delusers).Any())
        {
            ret.Result = null;
            ret.Comment = "Error. Same user(s) can not be added and deleted simultaneously";
            return ret;
        }
        var (changes, error) = await ChangesAsync(c, addusers, delusers, members).ConfigureAwait(false);
        if (error is not null)
        {
            return StateReturn.Fail(name, error);
        }
        if (changes is { Count: > 0 })
        {
            var comment = "The following group attributes are set to be changed:\n" + string.Concat(changes.Select(kv => $"{kv.Key}: {PyText.Str(kv.Value)}\n"));
            ret.Comment = comment;
            if (c.Test)
            {
                ret.Result = null;
                return ret;
            }
            foreach (var (key, value) in changes)
            {
                var users = (value as List<object?>)?.Select(PyText.Str).ToList() ?? [];
                switch (key)
                {
                    case "gid":
                        await Call(c, "chgid", [name, value], new() { ["non_unique"] = nonUnique }).ConfigureAwait(false);
                        break;
                    case "addusers":
                        foreach (var user in users)
                        {
                            await Call(c, "adduser", [name, user]).ConfigureAwait(false);
                        }
                        break;
                    case "delusers":
                        foreach (var user in users)
                        {
                            await Call(c, "deluser", [name, user]).ConfigureAwait(false);
                        }
                        break;
                    case "members":
                        await Call(c, "members", [name, string.Join(',', members!)]).ConfigureAwait(false);
                        break;
                }
            }
            var (left, _) = await ChangesAsync(c, addusers, delusers, members).ConfigureAwait(false);
            if (left is { Count: > 0 })
            {
                ret.Result = false;
                ret.Comment = comment + "Some changes could not be applied";
                ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Failed"] = left };
            }
            else
            {
                ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Final"] = "All changes applied successfully" };
            }
            return ret;
        }
        if (changes is not null)
        {
            return ret;
        }
        if (c.Test)
        {
            return StateReturn.Pending(name, $"Group {name} set to be added");
        }
        var gid = c["gid"];
        if (gid is not null && !nonUnique && await Call(c, "getent", []).ConfigureAwait(false) is List<object?> groups)
        {
            var taken = groups.OfType<Dictionary<string, object?>>().FirstOrDefault(g => PyText.Str(g.GetValueOrDefault("gid")) == PyText.Str(gid));
            if (taken is not null)
            {
                return StateReturn.Fail(name, $"Group {name} is not present but gid {PyText.Str(gid)} is already taken by group {PyText.Str(taken["name"])}");
            }
        }
        var added = await Call(c, "add", [name], new() { ["gid"] = gid, ["system"] = c.GetBool("system"), ["non_unique"] = nonUnique }).ConfigureAwait(false);
        if (!DataTree.IsTruthy(added))
        {
            return StateReturn.Fail(name, $"Failed to create new group {name}");
        }
        var initial = members is { Count: > 0 } ? string.Join(',', members) : null;
        if (addusers is { Count: > 0 })
        {
            initial = string.Join(',', addusers);
        }
        if (initial is not null)
        {
            await Call(c, "members", [name, initial]).ConfigureAwait(false);
        }
        ret.Comment = $"New group {name} created";
        ret.Changes = await Call(c, "info", [name]).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        var (missing, _) = await ChangesAsync(c, addusers, delusers, members).ConfigureAwait(false);
        if (missing is { Count: > 0 })
        {
            ret.Result = false;
            ret.Comment = $"Group {name} has been created but, some changes could not be applied";
            ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["Failed"] = missing };
        }
        return ret;
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        if (await Call(c, "info", [c.Name]).ConfigureAwait(false) is not Dictionary<string, object?> { Count: > 0 })
        {
            return StateReturn.Ok(c.Name, "Group not present");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"Group {c.Name} is set for removal");
        }
        if (!DataTree.IsTruthy(await Call(c, "delete", [c.Name]).ConfigureAwait(false)))
        {
            return StateReturn.Fail(c.Name, $"Failed to remove group {c.Name}");
        }
        var ret = StateReturn.Ok(c.Name, $"Removed group {c.Name}");
        ret.Changes[c.Name] = string.Empty;
        return ret;
    }
}
