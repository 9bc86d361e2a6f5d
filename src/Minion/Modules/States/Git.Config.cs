using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>git.config_set</c> and <c>git.config_unset</c>: keys of a repository's or a user's global git config.</summary>
public sealed partial class GitState
{
    private static readonly StateFunction[] ConfigFunctions =
    [
        new("config_set", [FunctionParameter.Req("name")], SaltExceptionText.Guard(ConfigSetAsync),
            "Ensure that a config value is set to the desired value(s).\n\nname: the key; value: a single value, or multivar: a " +
            "list of values (order matters), not both; repo: the repository (required unless global is True); user: run git as " +
            "this user (its HOME holds the global config); global: set the user's global config. Test mode reports the value " +
            "that would be set."),
        new("config_unset", [FunctionParameter.Req("name")], SaltExceptionText.Guard(ConfigUnsetAsync),
            "Ensure that the named config key is not present.\n\nname: the key, a regex that must match the whole key name " +
            "(foo\\..+ for a section); value_regex: only the values matching it; all: unset every match (needed for multivars); " +
            "repo (required unless global is True); user; global."),
    ];

    private static readonly HashSet<string> _setArgs = ["name", "value", "multivar", "repo", "user", "password", "output_encoding", "global"];
    private static readonly HashSet<string> _unsetArgs = ["name", "value_regex", "repo", "user", "password", "output_encoding", "global", "all"];

    private static string? InvalidKwargs(StateCall c, HashSet<string> allowed)
    {
        var invalid = c.Args.Keys.Where(k => !allowed.Contains(k) && !k.StartsWith("__", StringComparison.Ordinal)).ToList();
        return invalid.Count == 0 ? null
            : "The following keyword arguments are not valid: " + string.Join(", ", invalid.Select(k => $"{k}={PyText.Str(c[k])}"));
    }

    private static Dictionary<string, object?> GitKwargs(StateCall c, bool global, params (string Key, object? Value)[] extra)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["cwd"] = c.GetString("repo"),
            ["user"] = c.GetString("user"),
            ["password"] = c.GetString("password"),
            ["output_encoding"] = c.GetString("output_encoding"),
            ["global"] = global,
        };
        foreach (var (key, value) in extra)
        {
            kwargs[key] = value;
        }
        return kwargs;
    }

    private static async Task<StateReturn> ConfigSetAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ret = new StateReturn { Name = name, Result = true, Comment = string.Empty };
        if (c.Has("value") && c.Has("multivar"))
        {
            return StateReturn.Fail(name, "Only one of 'value' and 'multivar' is permitted");
        }
        if (InvalidKwargs(c, _setArgs) is { } invalid)
        {
            return StateReturn.Fail(name, invalid);
        }
        var global = c.GetBool("global");
        if (!global && !c.Has("repo"))
        {
            return StateReturn.Fail(name, "Non-global config options require the 'repo' argument to be set");
        }
        List<object?>? desired = null;
        string valueComment = "None";
        if (c.Has("value"))
        {
            var value = PyText.Str(c["value"]);
            valueComment = "'" + value + "'";
            desired = [value];
        }
        if (c.Has("multivar"))
        {
            desired = c["multivar"] is List<object?> list ? list.Select(v => (object?)PyText.Str(v)).ToList()
                : PyText.Str(c["multivar"]).Split(',').Cast<object?>().ToList();
            valueComment = PyText.Str(desired);
        }
        var scope = global ? "Global key " : string.Empty;
        var pre = await StateInvoke.CallAsync(c, "git.config_get", [name], GitKwargs(c, global, ("ignore_retcode", true), ("all", true)), ct)
            .ConfigureAwait(false);
        if (SameValues(desired, pre))
        {
            ret.Comment = $"{scope}'{name}' is already set to {valueComment}";
            return ret;
        }
        if (c.Test)
        {
            ret.Changes["old"] = pre;
            ret.Changes["new"] = desired;
            ret.Result = null;
            ret.Comment = $"{scope}'{name}' would be {(pre is null ? "added as" : "set to")} {valueComment}";
            return ret;
        }
        var result = await c.InvokeAsync("git.config_set", [name],
            GitKwargs(c, global, ("value", desired is not null && c.Has("value") ? desired[0] : null), ("multivar", c.Has("multivar") ? desired : null)), ct)
            .ConfigureAwait(false);
        if (!result.Success && result.Return is string error)
        {
            return StateReturn.Fail(name, $"Failed to set {scope.ToLowerInvariant()}'{name}' to {valueComment}: {error}");
        }
        var post = result.Return;
        if (!SameValues(pre as List<object?>, post))
        {
            ret.Changes[name] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["old"] = pre, ["new"] = post };
        }
        if (!SameValues(desired, post))
        {
            return StateReturn.Fail(name, $"Failed to set {scope.ToLowerInvariant()}'{name}' to {valueComment}");
        }
        ret.Comment = $"{scope}'{name}' was {(pre is null ? "added as" : "set to")} {valueComment}";
        return ret;
    }

    private static bool SameValues(List<object?>? a, object? b) =>
        a is null ? b is null : b is List<object?> list && a.Select(PyText.Str).SequenceEqual(list.Select(PyText.Str));

    private static async Task<StateReturn> ConfigUnsetAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ret = new StateReturn { Name = name, Result = true, Comment = "No matching keys are set" };
        if (InvalidKwargs(c, _unsetArgs) is { } invalid)
        {
            return StateReturn.Fail(name, invalid);
        }
        var global = c.GetBool("global");
        var all = c.GetBool("all");
        if (!global && !c.Has("repo"))
        {
            return StateReturn.Fail(name, "Non-global config options require the 'repo' argument to be set");
        }
        var valueRegex = c.Has("value_regex") ? PyText.Str(c["value_regex"]) : null;
        var key = "^" + name.TrimStart('^').TrimEnd('$') + "$";
        async Task<Dictionary<string, object?>> MatchesAsync(string? regex) =>
            await StateInvoke.CallAsync(c, "git.config_get_regexp", [key], GitKwargs(c, global, ("value_regex", regex), ("ignore_retcode", true)), ct)
                .ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        var preMatches = await MatchesAsync(valueRegex).ConfigureAwait(false);
        if (preMatches.Count == 0)
        {
            return ret;
        }
        if (!all)
        {
            var greedy = preMatches.Where(p => p.Value is List<object?> { Count: > 1 })
                .Select(p => $"{p.Key} ({string.Join(", ", ((List<object?>)p.Value!).Select(PyText.Str))})").ToList();
            if (greedy.Count > 0)
            {
                return StateReturn.Fail(name, valueRegex is not null
                    ? "Multiple values are matched by value_regex for the following keys (set 'all' to True to force removal): " + string.Join("; ", greedy)
                    : "Multivar(s) matched by the key expression (set 'all' to True to force removal): " + string.Join("; ", greedy));
            }
        }
        if (c.Test)
        {
            ret.Changes = preMatches;
            ret.Result = null;
            ret.Comment = $"{preMatches.Count} key(s) would have value(s) unset";
            return ret;
        }
        var pre = valueRegex is null ? preMatches : await MatchesAsync(null).ConfigureAwait(false);
        var failed = new List<string>();
        foreach (var keyName in preMatches.Keys)
        {
            // As Salt: the key expression itself is passed to git config --unset for each match.
            var result = await c.InvokeAsync("git.config_unset", [name], GitKwargs(c, global, ("value_regex", valueRegex), ("all", all)), ct).ConfigureAwait(false);
            if (!result.Success && result.Return is string)
            {
                failed.Add(keyName);
            }
        }
        if (failed.Count > 0)
        {
            return StateReturn.Fail(name, "Error(s) occurred unsetting values for the following keys (see the minion log for details): " + string.Join(", ", failed));
        }
        var post = await MatchesAsync(null).ConfigureAwait(false);
        foreach (var (keyName, values) in pre)
        {
            if (!post.ContainsKey(keyName))
            {
                ret.Changes[keyName] = values;
            }
            var remaining = post.GetValueOrDefault(keyName) as List<object?> ?? [];
            var unset = (values as List<object?> ?? []).Where(v => !remaining.Contains(v)).ToList();
            if (unset.Count > 0)
            {
                ret.Changes[keyName] = unset;
            }
        }
        var postMatches = valueRegex is null ? post : await MatchesAsync(valueRegex).ConfigureAwait(false);
        if (postMatches.Count > 0)
        {
            return StateReturn.Fail(name, "Failed to unset value(s): " + string.Join("; ",
                postMatches.Select(p => $"{p.Key} ({string.Join(", ", (p.Value as List<object?> ?? []).Select(PyText.Str))})")));
        }
        ret.Comment = "Value(s) successfully unset";
        return ret;
    }
}
