using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>cmd</c> states: run commands (<c>cmd.run</c>), scripts (<c>cmd.script</c>), or only on watch (<c>cmd.wait</c>).</summary>
[StateModule("cmd")]
public sealed class CmdState : IStateModule, IWatchable
{
    private static readonly string[] _passThrough =
        ["cwd", "runas", "shell", "env", "umask", "timeout", "output_loglevel", "hide_output", "success_retcodes", "stdin", "prepend_path", "template"];

    public string Doc => "Run commands and scripts as states.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("run", [new("name", true)], RunAsync, "Runs a command; changes are its pid, retcode, stdout and stderr."),
        new("wait", [new("name", true)], (c, _) => Task.FromResult(new StateReturn { Name = c.Name, Result = true, Comment = string.Empty }),
            "Runs the command only when a watched state changes."),
        new("script", [new("name", true)], ScriptAsync, "Downloads a script (source: salt://...) and runs it."),
        new("wait_script", [new("name", true)], (c, _) => Task.FromResult(new StateReturn { Name = c.Name, Result = true, Comment = string.Empty }),
            "Runs the script only when a watched state changes."),
    ];

    // Salt: `stateful` is either exactly True or a list whose first item may name a `test_name` command to run for real
    // in test mode.
    private static (bool Stateful, string? TestName) Stateful(StateCall call) =>
        (call["stateful"] is true or List<object?> { Count: > 0 },
         call["stateful"] is List<object?> { Count: > 0 } spec && spec[0] is Dictionary<string, object?> first
             && first.GetValueOrDefault("test_name") is { } tn ? PyText.Str(tn) : null);

    // Salt checks env before anything else: None, a list or a dict; a string is refused.
    private static StateReturn? EnvError(StateCall call) => call["env"] is null or List<object?> or Dictionary<string, object?>
        ? null
        : StateReturn.Fail(call.Name, "Invalidly-formatted 'env' parameter. See documentation.");

    private static async Task<StateReturn> RunAsync(StateCall call, CancellationToken cancellationToken)
    {
        var (stateful, testName) = Stateful(call);
        var command = call.Test && testName is not null ? testName : call.Name;
        if (EnvError(call) is { } envError)
        {
            return envError;
        }
        if (call.Test && testName is null)
        {
            // Salt 3006.1 reports the command as the change a test run would make (saltstack/salt#64150); a stateful
            // command's test result is then re-interpreted like its output, which leaves no changes and no comment.
            var pending = StateReturn.Pending(call.Name, $"Command \"{call.Name}\" would have been executed",
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["cmd"] = call.Name });
            if (stateful)
            {
                Reinterpret(pending);
            }
            return pending;
        }
        if (call.GetString("cwd") is { } cwd && !Directory.Exists(cwd))
        {
            return StateReturn.Fail(call.Name, $"Desired working directory \"{cwd}\" is not available");
        }
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["python_shell"] = true };
        foreach (var key in _passThrough)
        {
            if (call.Has(key))
            {
                kwargs[key] = call[key];
            }
        }
        var result = await call.InvokeAsync("cmd.run_all", [command], kwargs, cancellationToken).ConfigureAwait(false);
        if (result.Return is not Dictionary<string, object?> all)
        {
            return StateReturn.Fail(call.Name, PyText.Str(result.Return));
        }
        var ret = new StateReturn
        {
            Name = call.Name,
            Changes = all,
            Result = all.GetValueOrDefault("retcode") is long code ? code == 0 : !DataTree.IsTruthy(all.GetValueOrDefault("retcode")),
            Comment = $"Command \"{command}\" run",
        };
        if (stateful)
        {
            Reinterpret(ret);
        }
        if (call.Test && all.GetValueOrDefault("retcode") is 0L && ret.Changes.Count > 0)
        {
            ret.Result = null;
        }
        return ret;
    }

    // stateful: the command's stdout is a JSON object or ends with a line of name=value pairs (changed=yes comment='...').
    private static void Reinterpret(StateReturn ret)
    {
        var output = ret.Changes;
        ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        ret.Comment = string.Empty;
        var stdout = output.GetValueOrDefault("stdout") as string;
        if (string.IsNullOrEmpty(stdout))
        {
            if (output.GetValueOrDefault("stderr") is string { Length: > 0 } stderr)
            {
                ret.Comment = stderr;
            }
            return;
        }
        Dictionary<string, object?> data;
        var isJson = false;
        var idx = -1;
        try
        {
            if (DataTree.FromJson(stdout) is not Dictionary<string, object?> json)
            {
                ret.Comment = "script JSON output must be a JSON object (e.g., {})!";
                ret.Result = false;
                return;
            }
            data = json;
            isJson = true;
        }
        catch (System.Text.Json.JsonException)
        {
            idx = stdout.TrimEnd().LastIndexOf('\n');
            var last = idx >= 0 ? stdout[(idx + 1)..] : stdout;
            data = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (System.Text.RegularExpressions.Match pair in System.Text.RegularExpressions.Regex.Matches(last, "(\\S+?)=(\"[^\"]*\"|'[^']*'|\\S*)"))
            {
                data[pair.Groups[1].Value] = pair.Groups[2].Value.Trim('"', '\'');
            }
            if (data.Count == 0)
            {
                ret.Comment = "Failed parsing script output! Stdout must be JSON or a line of name=value pairs.";
                ret.Result = false;
                ret.Changes = output;
                return;
            }
        }
        var changed = PyText.Str(data.GetValueOrDefault("changed") ?? "no").ToLowerInvariant() is "true" or "yes" or "1";
        if (data.Remove("comment", out var comment))
        {
            ret.Comment = comment;
        }
        if (changed)
        {
            foreach (var (key, value) in output)
            {
                data.TryAdd(key, value);
            }
            data["stdout"] = isJson ? string.Empty : (idx >= 0 ? stdout[..idx] : string.Empty);
            ret.Changes = data;
        }
    }

    private static async Task<StateReturn> ScriptAsync(StateCall call, CancellationToken cancellationToken)
    {
        var (stateful, testName) = Stateful(call);
        var name = call.Test && testName is not null ? testName : call.Name;
        var source = call.GetString("source") ?? name;
        if (EnvError(call) is { } envError)
        {
            return envError;
        }
        if (call.Test && testName is null)
        {
            // Unlike cmd.run (saltstack/salt#64150), cmd.script's test run still reports no changes in 3006.1.
            var pending = StateReturn.Pending(name, $"Command '{name}' would have been executed");
            if (stateful)
            {
                Reinterpret(pending);
            }
            return pending;
        }
        if (call.GetString("cwd") is { } cwd && !Directory.Exists(cwd))
        {
            return StateReturn.Fail(name, $"Desired working directory \"{cwd}\" is not available");
        }
        var ret = await RunScriptAsync(call, name, source, cancellationToken).ConfigureAwait(false);
        if (stateful)
        {
            Reinterpret(ret);
        }
        if (call.Test && ret.Changes.GetValueOrDefault("retcode") is 0L && ret.Changes.Count > 0)
        {
            ret.Result = null;
        }
        return ret;
    }

    private static async Task<StateReturn> RunScriptAsync(StateCall call, string name, string source, CancellationToken cancellationToken)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["saltenv"] = call.Saltenv };
        foreach (var key in _passThrough.Append("args"))
        {
            if (call.Has(key))
            {
                kwargs[key] = call[key];
            }
        }
        if (call.Context.Modules.Exists("cmd.script"))
        {
            var result = await call.InvokeAsync("cmd.script", [source], kwargs, cancellationToken).ConfigureAwait(false);
            if (result.Return is Dictionary<string, object?> scriptRet)
            {
                return new StateReturn
                {
                    Name = name,
                    Changes = scriptRet,
                    Result = scriptRet.GetValueOrDefault("retcode") is long c ? c == 0 : result.Success,
                    Comment = $"Command '{name}' run",
                };
            }
            return StateReturn.Fail(name, PyText.Str(result.Return));
        }
        // No cmd.script: fetch the script ourselves and run it through cmd.run_all.
        var local = source.StartsWith("salt://", StringComparison.Ordinal)
            ? (call.Context.Files is null ? null : await call.Context.Files.CacheFileAsync(source, call.Saltenv, cancellationToken).ConfigureAwait(false))
            : source;
        if (local is null || !File.Exists(local))
        {
            return StateReturn.Fail(name, $"Unable to cache script {source} from saltenv '{call.Saltenv}'");
        }
        var shell = call.GetString("shell") ?? "/bin/sh";
        var command = $"{shell} '{local.Replace("'", "'\\''", StringComparison.Ordinal)}' {call.GetString("args") ?? string.Empty}".TrimEnd();
        var runKwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["python_shell"] = true };
        var run = await call.InvokeAsync("cmd.run_all", [command], runKwargs, cancellationToken).ConfigureAwait(false);
        var all = run.Return as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        return new StateReturn
        {
            Name = name,
            Changes = all,
            Result = all.GetValueOrDefault("retcode") is long code && code == 0,
            Comment = $"Command '{name}' run",
        };
    }

    public async Task<StateReturn> ModWatchAsync(StateCall call, CancellationToken cancellationToken)
    {
        Func<StateCall, CancellationToken, Task<StateReturn>>? run = call.Sfun switch
        {
            "wait" or "run" or "watch" => RunAsync,
            "wait_script" or "script" => ScriptAsync,
            _ => null,
        };
        if (run is null)
        {
            return StateReturn.Fail(call.Name, $"cmd.{call.Sfun} does not work with the watch requisite, please use cmd.wait or cmd.wait_script");
        }
        if (!DataTree.IsTruthy(call["stateful"]))
        {
            return await run(call, cancellationToken).ConfigureAwait(false);
        }
        // Salt's mod_watch pops `stateful` before calling run/script and re-interprets their plain return itself, so a
        // test_name is not used here: a test run only says what would have been executed.
        var ret = await run(WithoutStateful(call), cancellationToken).ConfigureAwait(false);
        Reinterpret(ret);
        return ret;
    }

    private static StateCall WithoutStateful(StateCall call) => new()
    {
        Name = call.Name,
        State = call.State,
        Function = call.Function,
        Sfun = call.Sfun,
        Args = call.Args.Where(kv => kv.Key != "stateful").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        Test = call.Test,
        Context = call.Context,
        Saltenv = call.Saltenv,
        Low = call.Low,
        Running = call.Running,
        Reqs = call.Reqs,
        Renderer = call.Renderer,
    };
}
