using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>
/// Salt's <c>module</c> states: call execution functions from a state (<c>module.run</c>) or only when a watched state changed
/// (<c>module.wait</c>). As in Salt 3006 both syntaxes are accepted without the old <c>use_superseded</c> opt-in: the call
/// picks the legacy form (<c>- name: mod.fun</c> with <c>m_name</c>, <c>args</c>, <c>kwargs</c>) when some argument is not a
/// dotted function name, the new form (<c>- mod.fun: [args...]</c>) otherwise.
/// </summary>
[StateModule("module")]
public sealed class ModuleState : IStateModule, IWatchable
{
    private static readonly Dictionary<string, string> _reserved = new(StringComparer.Ordinal)
    {
        ["name"] = "m_name",
        ["fun"] = "m_fun",
        ["names"] = "m_names",
        ["state"] = "m_state",
        ["saltenv"] = "m_saltenv",
    };

    public string Doc => "Execution of Salt modules from within states.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("run", [], RunAsync,
            "Run a single module function or a range of module functions in a batch.\n\nNew syntax: each argument is a function " +
            "name with its arguments (a list; a mapping in it is a keyword argument):\n\n    id:\n      module.run:\n        - network.ip_addrs:\n" +
            "          - interface: eth0\n\nLegacy syntax (chosen when an argument is not a dotted function name): name is the function, " +
            "its arguments are given by name, with m_name, m_fun, m_names, m_state, m_saltenv for the function's own name, fun, " +
            "names, state and saltenv arguments, args (a list) for *args and kwargs (a mapping) for **kwargs:\n\n    id:\n" +
            "      module.run:\n        - name: service.restart\n        - m_name: apache2\n\nIn test mode nothing runs: the comment " +
            "says which functions would be executed."),
        new("wait", [FunctionParameter.Req("name")], (c, _) => Task.FromResult(Idle(c)),
            "Run a single module function only if the watch statement calls it (a watch requisite whose target changed, or a " +
            "watch_in pointing at this state); otherwise return True without executing. Arguments as for module.run."),
        new("watch", [FunctionParameter.Req("name")], (c, _) => Task.FromResult(Idle(c)), "Alias of module.wait."),
    ];

    /// <summary>Salt's <c>mod_watch</c> for <c>module</c> is <c>module.run</c> itself, whatever function the state declared.</summary>
    public Task<StateReturn> ModWatchAsync(StateCall call, CancellationToken cancellationToken) => RunAsync(call, cancellationToken);

    private static StateReturn Idle(StateCall c) => new() { Name = c.Name, Result = true, Comment = string.Empty };

    private static Task<StateReturn> RunAsync(StateCall c, CancellationToken cancellationToken)
    {
        var keys = c.Args.Keys.Where(k => k != "name").ToList();
        var legacy = keys.Any(k => !k.Contains('.', StringComparison.Ordinal)) || (keys.Count == 0 && c.Args.Count > 0);
        return legacy ? LegacyRunAsync(c, cancellationToken) : NewRunAsync(c, keys, cancellationToken);
    }

    // ---- new syntax -----------------------------------------------------------------------------------------------------

    private static async Task<StateReturn> NewRunAsync(StateCall c, List<string> functions, CancellationToken cancellationToken)
    {
        var ret = new StateReturn { Name = c.Name, Result = null, Comment = string.Empty };
        ret.Extra["name"] = functions.Cast<object?>().ToList();
        if (functions.Count == 0)
        {
            ret.Result = false;
            ret.Comment = "No function provided.";
            return ret;
        }
        var missing = new List<string>();
        var tests = new List<string>();
        foreach (var func in functions.Select(f => f.Split(':')[0]))
        {
            if (!c.Context.Modules.Exists(func))
            {
                missing.Add(func);
            }
            else if (c.Test)
            {
                tests.Add(func);
            }
        }
        if (missing.Count > 0 || tests.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"Unavailable function{(missing.Count > 1 ? "True" : string.Empty)}: {string.Join(", ", missing)}.");
            }
            if (tests.Count > 0)
            {
                parts.Add($"Function{(tests.Count > 1 ? "True" : string.Empty)} {string.Join(", ", tests)} to be executed.");
            }
            // Salt joins both parts with a space even when one is empty, then strips.
            ret.Comment = string.Join(" ", missing.Count > 0 ? parts[0] : string.Empty, tests.Count > 0 ? parts[^1] : string.Empty).Trim();
            if (missing.Count > 0)
            {
                ret.Result = false;
            }
            return ret;
        }
        var failures = new List<string>();
        var success = new List<string>();
        foreach (var func in functions)
        {
            var name = func.Split(':')[0];
            var (args, kwargs) = SplitCallArgs(c[func]);
            var result = await c.InvokeAsync(name, args, kwargs, cancellationToken).ConfigureAwait(false);
            if (IsInvocationError(name, result))
            {
                failures.Add($"'{func}' failed: {PyText.Str(result.Return)}");
                continue;
            }
            var value = result.Return;
            if (!ResultOf(value, new Dictionary<string, object?>(StringComparer.Ordinal)))
            {
                if (value is Dictionary<string, object?> dict)
                {
                    failures.Add($"'{func}' failed: {(dict.TryGetValue("comment", out var comment) ? PyText.Str(comment) : "(error message N/A)")}");
                }
                if (value is false)
                {
                    failures.Add($"'{func}': False");
                }
            }
            else
            {
                var shown = value is Dictionary<string, object?> d ? (d.TryGetValue("comment", out var cm) ? PyText.Str(cm) : "Success") : PyText.Str(value);
                success.Add($"{func}: {shown}");
                ret.Changes[func] = value;
            }
        }
        ret.Comment = string.Join(", ", failures.Concat(success));
        ret.Result = failures.Count == 0;
        return ret;
    }

    /// <summary>The new syntax's argument list: plain items are positional, each mapping adds keyword arguments.</summary>
    private static (List<object?> Args, Dictionary<string, object?> Kwargs) SplitCallArgs(object? value)
    {
        var args = new List<object?>();
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var items = value switch
        {
            null => [],
            List<object?> list => list,
            var single => [single],
        };
        foreach (var item in items)
        {
            if (item is Dictionary<string, object?> map)
            {
                foreach (var (k, v) in map)
                {
                    kwargs[k] = v;
                }
            }
            else
            {
                args.Add(item);
            }
        }
        return (args, kwargs);
    }

    // ---- legacy syntax --------------------------------------------------------------------------------------------------

    private static async Task<StateReturn> LegacyRunAsync(StateCall c, CancellationToken cancellationToken)
    {
        var name = c.Name;
        var ret = new StateReturn { Name = name, Result = null, Comment = string.Empty };
        if (!c.Context.Modules.Exists(name))
        {
            ret.Result = false;
            ret.Comment = $"Module function {name} is not available";
            return ret;
        }
        if (c.Test)
        {
            ret.Comment = $"Module function {name} is set to execute";
            return ret;
        }
        var kwargs = c.Args.Where(p => p.Key != "name").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var declared = (c.Context.Modules as ExecutionModuleRegistry)?.Find(name);
        var args = new List<object?>();
        var callKwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (declared is null)
        {
            // No declared signature to line the arguments up with: pass them by name.
            foreach (var (k, v) in kwargs)
            {
                callKwargs[_reserved.FirstOrDefault(r => r.Value == k).Key ?? k] = v;
            }
        }
        else
        {
            var missing = new List<string>();
            foreach (var parameter in declared.Parameters)
            {
                var key = _reserved.GetValueOrDefault(parameter.Name, parameter.Name);
                if (kwargs.Remove(key, out var given) || (key != parameter.Name && kwargs.Remove(parameter.Name, out given)))
                {
                    args.Add(given);
                }
                else if (parameter.Required)
                {
                    missing.Add(key);
                }
                else
                {
                    args.Add(parameter.Default);
                }
            }
            if (missing.Count > 0)
            {
                ret.Result = false;
                ret.Comment = "The following arguments are missing: " + string.Join(" ", missing);
                return ret;
            }
            if (declared.AcceptsExtraArgs)
            {
                if (kwargs.Remove("args", out var varargs))
                {
                    if (varargs is not List<object?> list)
                    {
                        ret.Result = false;
                        ret.Comment = "'args' must be a list.";
                        return ret;
                    }
                    args.AddRange(list);
                }
                if (kwargs.Remove("kwargs", out var extra))
                {
                    if (extra is not Dictionary<string, object?> map)
                    {
                        ret.Result = false;
                        ret.Comment = "'kwargs' must be a dict.";
                        return ret;
                    }
                    callKwargs = map;
                }
            }
        }
        var result = await c.InvokeAsync(name, args, callKwargs, cancellationToken).ConfigureAwait(false);
        if (IsInvocationError(name, result))
        {
            ret.Result = false;
            ret.Comment = $"Module function {name} threw an exception. Exception: {PyText.Str(result.Return)}";
            return ret;
        }
        ret.Changes["ret"] = result.Return;
        ret.Comment = $"Module function {name} executed";
        ret.Result = ResultOf(result.Return, ret.Changes);
        return ret;
    }

    /// <summary>
    /// The invoker reports a raised error as a failed call returning its message; the <c>cmd</c> functions instead fail with
    /// the command's own output and retcode, which Salt treats as a normal return.
    /// </summary>
    private static bool IsInvocationError(string function, FunctionResult result) =>
        !result.Success && result.Return is string && !function.StartsWith("cmd.", StringComparison.Ordinal);

    /// <summary>Salt's <c>_get_result</c>: a non-zero <c>retcode</c>, a boolean, or a nested <c>result: False</c> decides.</summary>
    private static bool ResultOf(object? value, Dictionary<string, object?> changes)
    {
        if (value is Dictionary<string, object?> dict && RetcodeFailed(dict))
        {
            return false;
        }
        if (value is bool b)
        {
            return b;
        }
        if (changes.GetValueOrDefault("ret") is Dictionary<string, object?> inner)
        {
            if (inner.GetValueOrDefault("result") is bool r)
            {
                return r;
            }
            return !RetcodeFailed(inner) && DictResult(inner);
        }
        return true;
    }

    private static bool RetcodeFailed(Dictionary<string, object?> dict) =>
        dict.TryGetValue("retcode", out var code) && code is not (0L or false or null) && !(code is double d && d == 0);

    private static bool DictResult(Dictionary<string, object?> node)
    {
        foreach (var (key, value) in node)
        {
            if (key == "result" && value is false)
            {
                return false;
            }
            if (value is Dictionary<string, object?> child && !DictResult(child))
            {
                return false;
            }
        }
        return true;
    }
}
