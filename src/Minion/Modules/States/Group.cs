using Orchestrator.Shared.Data;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>group</c> states, driving <c>groupadd</c>/<c>groupmod</c>/<c>groupdel</c>/<c>gpasswd</c> through <c>cmd.run_all</c>.</summary>
[StateModule("group")]
public sealed class GroupState : IStateModule
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Manage local groups.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", _name, PresentAsync, "Makes sure a group exists with the given gid and members."),
        new("absent", _name, AbsentAsync, "Makes sure a group does not exist."),
    ];

    private static async Task<Dictionary<string, object?>?> InfoAsync(StateCall c, CancellationToken ct)
    {
        var (code, stdout, _) = await StateInvoke.ShellAsync(c, "getent group " + StateInvoke.Quote(c.Name), ct).ConfigureAwait(false);
        if (code != 0 || stdout.Length == 0)
        {
            return null;
        }
        var f = stdout.Trim().Split(':');
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = f[0],
            ["gid"] = long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture),
            ["members"] = f[3].Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).Cast<object?>().ToList(),
            ["passwd"] = f[1],
        };
    }

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var info = await InfoAsync(c, ct).ConfigureAwait(false);
        // In the order given: Salt compares members as sets and reports the list as the state gave it.
        var members = c.GetList("members")?.Select(PyText.Str).ToList();
        if (info is not null)
        {
            var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (c.Has("gid") && PyText.Str(c["gid"]) != PyText.Str(info["gid"]))
            {
                changes["gid"] = c["gid"];
            }
            var have = ((List<object?>)info["members"]!).Select(PyText.Str).ToList();
            if (members is not null && !members.ToHashSet(StringComparer.Ordinal).SetEquals(have))
            {
                changes["members"] = members.Cast<object?>().ToList();
            }
            if (changes.Count == 0)
            {
                return StateReturn.Ok(c.Name, $"Group {c.Name} is present and up to date");
            }
            if (c.Test)
            {
                return StateReturn.Pending(c.Name, $"The following group attributes are set to be changed:\n{string.Join("\n", changes.Select(kv => $"{kv.Key}: {PyText.Str(kv.Value)}"))}\n");
            }
            if (changes.ContainsKey("gid"))
            {
                await StateInvoke.ShellAsync(c, $"groupmod -g {StateInvoke.Quote(PyText.Str(c["gid"]))} {StateInvoke.Quote(c.Name)}", ct).ConfigureAwait(false);
            }
            if (changes.ContainsKey("members"))
            {
                await StateInvoke.ShellAsync(c, $"gpasswd -M {StateInvoke.Quote(string.Join(',', members!))} {StateInvoke.Quote(c.Name)}", ct).ConfigureAwait(false);
            }
            var ret = StateReturn.Ok(c.Name, $"The following group attributes were changed:\n{string.Join("\n", changes.Keys)}");
            ret.Changes = changes;
            return ret;
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"Group {c.Name} set to be added");
        }
        var gid = c.Has("gid") ? $"-g {StateInvoke.Quote(PyText.Str(c["gid"]))} " : string.Empty;
        var system = c.GetBool("system") ? "-r " : string.Empty;
        var (code, _, stderr) = await StateInvoke.ShellAsync(c, $"groupadd {system}{gid}{StateInvoke.Quote(c.Name)}", ct).ConfigureAwait(false);
        if (code != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to create new group {c.Name}: {stderr.Trim()}");
        }
        if (members is { Count: > 0 })
        {
            await StateInvoke.ShellAsync(c, $"gpasswd -M {StateInvoke.Quote(string.Join(',', members))} {StateInvoke.Quote(c.Name)}", ct).ConfigureAwait(false);
        }
        var created = StateReturn.Ok(c.Name, $"New group {c.Name} created");
        created.Changes = await InfoAsync(c, ct).ConfigureAwait(false) ?? [];
        return created;
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        if (await InfoAsync(c, ct).ConfigureAwait(false) is null)
        {
            return StateReturn.Ok(c.Name, "Group not present");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"Group {c.Name} is set for removal");
        }
        var (code, _, stderr) = await StateInvoke.ShellAsync(c, "groupdel " + StateInvoke.Quote(c.Name), ct).ConfigureAwait(false);
        if (code != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to remove group {c.Name}: {stderr.Trim()}");
        }
        var ret = StateReturn.Ok(c.Name, $"Removed group {c.Name}");
        ret.Changes[c.Name] = string.Empty;
        return ret;
    }
}
