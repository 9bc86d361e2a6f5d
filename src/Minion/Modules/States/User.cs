using Orchestrator.Shared.Data;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>user</c> states, driving <c>useradd</c>/<c>usermod</c>/<c>userdel</c> through <c>cmd.run_all</c>.</summary>
[StateModule("user")]
public sealed class UserState : IStateModule
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Manage local user accounts.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", _name, PresentAsync, "Makes sure a user exists with the given uid, gid, home, shell and groups."),
        new("absent", _name, AbsentAsync, "Makes sure a user does not exist (purge=True removes the home directory)."),
    ];

    internal static async Task<Dictionary<string, object?>?> InfoAsync(StateCall c, string name, CancellationToken ct)
    {
        var (code, stdout, _) = await StateInvoke.ShellAsync(c, "getent passwd " + StateInvoke.Quote(name), ct).ConfigureAwait(false);
        if (code != 0 || stdout.Length == 0)
        {
            return null;
        }
        var f = stdout.Trim().Split(':');
        var (_, groupsOut, _) = await StateInvoke.ShellAsync(c, "id -Gn " + StateInvoke.Quote(name), ct).ConfigureAwait(false);
        var (_, primary, _) = await StateInvoke.ShellAsync(c, "getent group " + f[3], ct).ConfigureAwait(false);
        var primaryName = primary.Split(':')[0];
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = f[0],
            ["uid"] = long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture),
            ["gid"] = long.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture),
            ["fullname"] = f[4].Split(',')[0],
            ["home"] = f[5],
            ["shell"] = f[6],
            ["groups"] = groupsOut.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(g => g != primaryName).Order(StringComparer.Ordinal).Cast<object?>().ToList(),
        };
    }

    private static List<string>? WantedGroups(StateCall c) => c.GetList("groups")?.Select(PyText.Str).Order(StringComparer.Ordinal).ToList();

    // Salt's _changes, in its order: a gid may be a group name, and a home directory that is missing is a change too
    // (createhome defaults to True).
    private static async Task<Dictionary<string, object?>> DifferencesAsync(StateCall c, Dictionary<string, object?> info, CancellationToken ct)
    {
        var diff = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (c.Has("uid") && PyText.Str(c["uid"]) != PyText.Str(info["uid"]))
        {
            diff["uid"] = c["uid"];
        }
        if (c.Has("gid") && PyText.Str(c["gid"]) != PyText.Str(info["gid"]) && await GroupIdAsync(c, PyText.Str(c["gid"]), ct).ConfigureAwait(false) != PyText.Str(info["gid"]))
        {
            diff["gid"] = c["gid"];
        }
        if (WantedGroups(c) is { } groups)
        {
            var have = ((List<object?>)info["groups"]!).Select(PyText.Str).ToList();
            var wanted = c.GetBool("remove_groups", true) ? groups : groups.Union(have).Order(StringComparer.Ordinal).ToList();
            if (!wanted.SequenceEqual(have))
            {
                diff["groups"] = wanted.Cast<object?>().ToList();
            }
        }
        if (c.Has("home") && PyText.Str(c["home"]) != PyText.Str(info["home"]))
        {
            diff["home"] = c["home"];
        }
        if (c.GetBool("createhome", true) && (c.GetString("home") ?? info["home"] as string) is { Length: > 0 } newHome && !Directory.Exists(newHome))
        {
            diff["homeDoesNotExist"] = newHome;
        }
        foreach (var key in new[] { "shell", "fullname" })
        {
            if (c.Has(key) && PyText.Str(c[key]) != PyText.Str(info[key]))
            {
                diff[key] = c[key];
            }
        }
        return diff;
    }

    private static async Task<string?> GroupIdAsync(StateCall c, string group, CancellationToken ct)
    {
        var (code, stdout, _) = await StateInvoke.ShellAsync(c, "getent group " + StateInvoke.Quote(group), ct).ConfigureAwait(false);
        return code == 0 && stdout.Split(':') is { Length: > 2 } f ? f[2] : null;
    }

    private static string Options(StateCall c, Dictionary<string, object?> values)
    {
        var parts = new List<string>();
        foreach (var (key, value) in values)
        {
            var text = PyText.Str(value);
            switch (key)
            {
                case "uid": parts.Add("-u " + StateInvoke.Quote(text)); break;
                case "gid": parts.Add("-g " + StateInvoke.Quote(text)); break;
                case "home": parts.Add("-d " + StateInvoke.Quote(text)); break;
                case "shell": parts.Add("-s " + StateInvoke.Quote(text)); break;
                case "fullname": parts.Add("-c " + StateInvoke.Quote(text)); break;
                case "groups" when value is List<object?> groups && groups.Count > 0:
                    parts.Add("-G " + StateInvoke.Quote(string.Join(',', groups.Select(PyText.Str))));
                    break;
                case "groups": parts.Add("-G ''"); break;
            }
        }
        return string.Join(' ', parts);
    }

    // Salt checks GECOS fields and that the groups exist before anything else, in test runs too.
    private static async Task<string?> PreflightAsync(StateCall c, CancellationToken ct)
    {
        foreach (var gecos in new[] { "fullname", "roomnumber", "workphone" })
        {
            if (c[gecos] is string field && field.Contains(',', StringComparison.Ordinal))
            {
                return $"Unsupported char ',' in {field}";
            }
        }
        var missingGroups = new List<string>();
        foreach (var group in c.GetList("groups")?.Select(PyText.Str) ?? [])
        {
            var (code, stdout, _) = await StateInvoke.ShellAsync(c, "getent group " + StateInvoke.Quote(group), ct).ConfigureAwait(false);
            if (code != 0 || stdout.Length == 0)
            {
                missingGroups.Add(group);
            }
        }
        if (missingGroups.Count > 0)
        {
            return $"The following group(s) are not present: {string.Join(",", missingGroups)}";
        }
        return null;
    }

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        if (await PreflightAsync(c, ct).ConfigureAwait(false) is { } error)
        {
            return StateReturn.Fail(c.Name, error);
        }
        var info = await InfoAsync(c, c.Name, ct).ConfigureAwait(false);
        if (info is not null)
        {
            var diff = await DifferencesAsync(c, info, ct).ConfigureAwait(false);
            if (diff.Count == 0)
            {
                return StateReturn.Ok(c.Name, $"User {c.Name} is present and up to date");
            }
            if (c.Test)
            {
                var pending = StateReturn.Pending(c.Name, $"The following user attributes are set to be changed:\n{string.Join("\n", diff.Select(kv => $"{kv.Key}: {PyText.Str(kv.Value)}"))}\n");
                return pending;
            }
            var options = Options(c, diff);
            if (options.Length > 0)
            {
                var (code, _, stderr) = await StateInvoke.ShellAsync(c, $"usermod {options} {StateInvoke.Quote(c.Name)}", ct).ConfigureAwait(false);
                if (code != 0)
                {
                    return StateReturn.Fail(c.Name, $"These values could not be changed: {stderr.Trim()}");
                }
            }
            if (diff.GetValueOrDefault("homeDoesNotExist") is string home)
            {
                var dir = StateInvoke.Quote(home);
                var (code, _, stderr) = await StateInvoke.ShellAsync(c, $"mkdir -p -m 755 {dir} && chown {info["uid"]}:{info["gid"]} {dir}", ct).ConfigureAwait(false);
                if (code != 0)
                {
                    return StateReturn.Fail(c.Name, $"These values could not be changed: {stderr.Trim()}");
                }
            }
            var ret = StateReturn.Ok(c.Name, $"Updated user {c.Name}");
            foreach (var (k, v) in diff)
            {
                ret.Changes[k] = v;
            }
            return ret;
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"User {c.Name} set to be added");
        }
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in new[] { "uid", "gid", "home", "shell", "fullname" })
        {
            if (c.Has(key))
            {
                values[key] = c[key];
            }
        }
        if (WantedGroups(c) is { Count: > 0 } groups)
        {
            values["groups"] = groups.Cast<object?>().ToList();
        }
        var flags = new List<string>();
        if (c.GetBool("createhome", true))
        {
            flags.Add("-m");
        }
        if (c.GetBool("system"))
        {
            flags.Add("-r");
        }
        var (rc, _, err) = await StateInvoke.ShellAsync(c, $"useradd {string.Join(' ', flags)} {Options(c, values)} {StateInvoke.Quote(c.Name)}", ct).ConfigureAwait(false);
        if (rc != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to create new user {c.Name}: {err.Trim()}");
        }
        var created = StateReturn.Ok(c.Name, $"New user {c.Name} created");
        created.Changes = await InfoAsync(c, c.Name, ct).ConfigureAwait(false) ?? [];
        return created;
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        if (await InfoAsync(c, c.Name, ct).ConfigureAwait(false) is null)
        {
            return StateReturn.Ok(c.Name, $"User {c.Name} is not present");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"User {c.Name} set for removal");
        }
        var (code, _, stderr) = await StateInvoke.ShellAsync(c, $"userdel {(c.GetBool("purge") ? "-r " : string.Empty)}{StateInvoke.Quote(c.Name)}", ct).ConfigureAwait(false);
        if (code != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to remove user {c.Name}: {stderr.Trim()}");
        }
        var ret = StateReturn.Ok(c.Name, $"Removed user {c.Name}");
        ret.Changes[c.Name] = "removed";
        return ret;
    }
}
