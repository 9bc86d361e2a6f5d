using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// Turns a rendered reactor SLS into actions, accepting the forms Salt 3006 does: <c>local.fun</c>/<c>cmd.fun</c>,
/// <c>runner.fun</c>, <c>wheel.fun</c>, <c>caller.fun</c> (or <c>local: [fun, ...]</c>), with the new <c>args</c> list of
/// single-key mappings or the old <c>arg</c>/<c>kwarg</c> (and, for runner and wheel, the function's parameters as plain
/// keys). A file with any error gives no action at all, so a broken file never runs half of its reactions.
/// </summary>
public static class ReactionCompiler
{
    // Keys of Salt's low chunk that are never arguments (salt.utils.reactor REACTOR_INTERNAL_KEYWORDS, less `name`, which we
    // pass on when the entry sets it itself).
    private static readonly HashSet<string> Internal = new(StringComparer.Ordinal) { "order", "fun", "key", "state" };

    // What a local action understands; other keys are reported as ignored.
    private static readonly HashSet<string> LocalKeys =
        new(StringComparer.Ordinal) { "tgt", "tgt_type", "expr_form", "arg", "kwarg", "args", "timeout", "name", "order", "jid" };

    private static readonly HashSet<string> CallerKeys = new(StringComparer.Ordinal) { "arg", "kwarg", "args", "name", "order" };

    /// <summary>Compiles the data <paramref name="rendered"/> from <paramref name="file"/>.</summary>
    /// <param name="rendered">What the render pipeline returned.</param>
    /// <param name="text">The text YAML read (the Jinja output), to find each id's line.</param>
    /// <param name="file">The file as the rule names it, for messages.</param>
    /// <param name="rule">The rule that matched, for messages and counting.</param>
    public static ReactionFile Compile(object? rendered, string text, string file, string rule)
    {
        var actions = new List<ReactorAction>();
        var errors = new List<ReactorError>();
        var warnings = new List<string>();
        if (rendered is null)
        {
            return new ReactionFile(file, actions, errors, warnings);
        }
        if (rendered is not Dictionary<string, object?> high)
        {
            errors.Add(new ReactorError(rule, file, 1, $"the file does not render to a mapping of ids to reactions (got {TypeName(rendered)})"));
            return new ReactionFile(file, actions, errors, warnings);
        }
        foreach (var (id, body) in high)
        {
            if (id.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }
            var line = LineOf(text, id);
            var context = new Context(rule, file, line, id, errors, warnings);
            if (body is not Dictionary<string, object?> entries)
            {
                context.Error($"ID '{id}' is not a dictionary (got {TypeName(body)})");
                continue;
            }
            foreach (var (key, value) in entries)
            {
                if (!key.StartsWith("__", StringComparison.Ordinal) && Entry(context, key, value) is { } action)
                {
                    actions.Add(action);
                }
            }
        }
        return errors.Count > 0 ? new ReactionFile(file, [], errors, warnings) : new ReactionFile(file, actions, errors, warnings);
    }

    private sealed record Context(string Rule, string File, int Line, string Id, List<ReactorError> Errors, List<string> Warnings)
    {
        public ReactorAction? Error(string message)
        {
            Errors.Add(new ReactorError(Rule, File, Line, message, Id));
            return null;
        }

        public void Warn(string message) =>
            Warnings.Add(Line > 0 ? $"{File}, line {Line}: ID '{Id}': {message}" : $"{File}: ID '{Id}': {message}");
    }

    private static ReactorAction? Entry(Context c, string key, object? value)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var state = dot < 0 ? key : key[..dot];
        string? fun = dot < 0 ? null : key[(dot + 1)..];
        ReactionKind? kind = state switch
        {
            "local" or "cmd" => ReactionKind.Local,
            "runner" => ReactionKind.Runner,
            "wheel" => ReactionKind.Wheel,
            "caller" => ReactionKind.Caller,
            _ => null,
        };
        if (kind is null)
        {
            return c.Error($"'{key}' in ID '{c.Id}' is not a reaction: use local.<fun>, runner.<fun>, wheel.<fun> or caller.<fun>");
        }
        var items = value switch
        {
            null => [],
            List<object?> list => list,
            _ => null,
        };
        if (items is null)
        {
            return c.Error($"the reaction '{key}' in ID '{c.Id}' is not formed as a list");
        }
        var low = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            switch (item)
            {
                case string function when fun is null:
                    fun = function;
                    break;
                case string:
                    return c.Error($"too many functions declared in '{key}' of ID '{c.Id}'");
                case Dictionary<string, object?> { Count: 1 } argument:
                    var (name, argValue) = argument.First();
                    low[name] = argValue;
                    break;
                case Dictionary<string, object?>:
                    return c.Error($"multiple keys in one argument of '{key}' in ID '{c.Id}': write each as its own '- key: value'");
                default:
                    return c.Error($"an argument of '{key}' in ID '{c.Id}' is {TypeName(item)}: expected '- key: value'");
            }
        }
        if (string.IsNullOrWhiteSpace(fun))
        {
            return c.Error($"no function declared in '{key}' of ID '{c.Id}'");
        }
        return Build(c, kind.Value, fun, low);
    }

    private static ReactorAction? Build(Context c, ReactionKind kind, string fun, Dictionary<string, object?> low)
    {
        List<object?> args;
        Dictionary<string, object?> kwargs;
        if (low.TryGetValue("args", out var reactorArgs))
        {
            foreach (var ignored in new[] { "arg", "kwarg" }.Where(low.ContainsKey))
            {
                c.Warn($"'{ignored}' is ignored because 'args' is given (Salt does the same)");
            }
            if (kind == ReactionKind.Caller && reactorArgs is List<object?> positional && !IsDictList(positional))
            {
                // Salt's legacy caller form: args was a plain list of positional arguments.
                (args, kwargs) = (positional, new(StringComparer.Ordinal));
            }
            else if (Repack(reactorArgs) is { } repacked)
            {
                (args, kwargs) = ([], repacked);
            }
            else
            {
                return c.Error($"'args' of '{kind.ToString().ToLowerInvariant()}.{fun}' in ID '{c.Id}' must be a list of '- name: value' "
                    + $"(got {DataTree.ToJson(reactorArgs, false)})");
            }
        }
        else
        {
            args = low.GetValueOrDefault("arg") switch
            {
                null => [],
                List<object?> list => list,
                var one => [one],
            };
            if (low.GetValueOrDefault("kwarg") is { } kw and not Dictionary<string, object?>)
            {
                return c.Error($"'kwarg' of '{fun}' in ID '{c.Id}' must be a mapping (got {DataTree.ToJson(kw, false)})");
            }
            kwargs = low.GetValueOrDefault("kwarg") as Dictionary<string, object?> ?? new(StringComparer.Ordinal);
            if (kind is ReactionKind.Runner or ReactionKind.Wheel && !low.ContainsKey("arg") && !low.ContainsKey("kwarg"))
            {
                // Salt's legacy runner/wheel form: the function's parameters written as plain keys (`- match: web1`).
                kwargs = low.Where(p => !Internal.Contains(p.Key) && !p.Key.StartsWith("__", StringComparison.Ordinal))
                    .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            }
        }
        if (kind == ReactionKind.Caller)
        {
            foreach (var key in low.Keys.Where(k => !CallerKeys.Contains(k) && !k.StartsWith("__", StringComparison.Ordinal)))
            {
                c.Warn($"'{key}' is ignored by caller reactions (arguments go in 'args', or 'arg' and 'kwarg')");
            }
        }
        var action = new ReactorAction(c.Rule, c.File, c.Line, c.Id, kind, fun, args, kwargs);
        return kind == ReactionKind.Local ? Local(c, action, low) : action;
    }

    private static ReactorAction? Local(Context c, ReactorAction action, Dictionary<string, object?> low)
    {
        var targetType = low.GetValueOrDefault("tgt_type") ?? low.GetValueOrDefault("expr_form");
        string? target = low.GetValueOrDefault("tgt") switch
        {
            string s when s.Length > 0 => s,
            long or double or bool => DataTree.KeyToString(low["tgt"]),
            List<object?> ids when ids.Count > 0 && ids.All(i => i is string or long) => string.Join(",", ids.Select(DataTree.KeyToString)),
            _ => null,
        };
        if (target is null)
        {
            return c.Error($"'{action.Fun}' in ID '{c.Id}' needs a target: '- tgt: <minion glob>'");
        }
        if (targetType is not (null or string))
        {
            return c.Error($"'tgt_type' of '{action.Fun}' in ID '{c.Id}' must be a string");
        }
        var type = targetType as string ?? (low["tgt"] is List<object?> ? "list" : "glob");
        int? timeout = null;
        if (low.GetValueOrDefault("timeout") is { } seconds)
        {
            if (seconds is not long l || l <= 0)
            {
                return c.Error($"'timeout' of '{action.Fun}' in ID '{c.Id}' must be a positive number of seconds (got {DataTree.ToJson(seconds, false)})");
            }
            timeout = (int)Math.Min(l, int.MaxValue);
        }
        foreach (var key in low.Keys.Where(k => !LocalKeys.Contains(k) && !k.StartsWith("__", StringComparison.Ordinal)))
        {
            c.Warn(key == "ret"
                ? "'ret' is ignored: jobs from reactions return to the master's job cache only"
                : $"'{key}' is ignored by local reactions (arguments go in 'args', or 'arg' and 'kwarg')");
        }
        return action with { Target = target, TargetType = type, Timeout = timeout };
    }

    private static bool IsDictList(List<object?> list) => list.All(i => i is Dictionary<string, object?> { Count: 1 });

    /// <summary>Salt's repack_dictlist: a mapping as it is, or a list of mappings merged in order; null when neither.</summary>
    private static Dictionary<string, object?>? Repack(object? value)
    {
        switch (value)
        {
            case null:
                return new(StringComparer.Ordinal);
            case Dictionary<string, object?> map:
                return map;
            case List<object?> list when list.All(i => i is Dictionary<string, object?>):
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, item) in list.Cast<Dictionary<string, object?>>().SelectMany(d => d))
                {
                    result[key] = item;
                }
                return result;
            default:
                return null;
        }
    }

    /// <summary>The 1-based line where a top-level id is written in the rendered text, or 0 when it cannot be found.</summary>
    public static int LineOf(string text, string id)
    {
        var line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            foreach (var written in new[] { id, $"'{id.Replace("'", "''", StringComparison.Ordinal)}'", $"\"{id}\"" })
            {
                if (raw.StartsWith(written, StringComparison.Ordinal) && raw.AsSpan(written.Length).TrimStart(' ').StartsWith(":"))
                {
                    return line;
                }
            }
        }
        return 0;
    }

    private static string TypeName(object? value) => value switch
    {
        null => "nothing",
        string s => $"the string '{s}'",
        List<object?> => "a list",
        Dictionary<string, object?> => "a mapping",
        _ => $"the value {DataTree.ToJson(value, false)}",
    };
}
