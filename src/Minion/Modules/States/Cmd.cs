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

    private static async Task<StateReturn> RunAsync(StateCall call, CancellationToken cancellationToken)
    {
        // Salt: `stateful` is either exactly True or a list whose first item may name a `test_name` command to run for real
        // in test mode.
        var stateful = call["stateful"] is true or List<object?> { Count: > 0 };
        var testName = call["stateful"] is List<object?> { Count: > 0 } spec && spec[0] is Dictionary<string, object?> first
            && first.GetValueOrDefault("test_name") is { } tn ? PyText.Str(tn) : null;
        var command = call.Test && testName is not null ? testName : call.Name;
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
        var source = call.GetString("source") ?? call.Name;
        if (call.Test)
        {
            return StateReturn.Pending(call.Name, $"Command '{call.Name}' would have been executed");
        }
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
                    Name = call.Name,
                    Changes = scriptRet,
                    Result = scriptRet.GetValueOrDefault("retcode") is long c ? c == 0 : result.Success,
                    Comment = $"Command '{call.Name}' run",
                };
            }
            return StateReturn.Fail(call.Name, PyText.Str(result.Return));
        }
        // No cmd.script: fetch the script ourselves and run it through cmd.run_all.
        var local = source.StartsWith("salt://", StringComparison.Ordinal)
            ? (call.Context.Files is null ? null : await call.Context.Files.CacheFileAsync(source, call.Saltenv, cancellationToken).ConfigureAwait(false))
            : source;
        if (local is null || !File.Exists(local))
        {
            return StateReturn.Fail(call.Name, $"Unable to cache script {source} from saltenv '{call.Saltenv}'");
        }
        var shell = call.GetString("shell") ?? "/bin/sh";
        var command = $"{shell} '{local.Replace("'", "'\\''", StringComparison.Ordinal)}' {call.GetString("args") ?? string.Empty}".TrimEnd();
        var runKwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["python_shell"] = true };
        var run = await call.InvokeAsync("cmd.run_all", [command], runKwargs, cancellationToken).ConfigureAwait(false);
        var all = run.Return as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        return new StateReturn
        {
            Name = call.Name,
            Changes = all,
            Result = all.GetValueOrDefault("retcode") is long code && code == 0,
            Comment = $"Command '{call.Name}' run",
        };
    }

    public Task<StateReturn> ModWatchAsync(StateCall call, CancellationToken cancellationToken) => call.Sfun switch
    {
        "wait" or "run" or "watch" => RunAsync(call, cancellationToken),
        "wait_script" or "script" => ScriptAsync(call, cancellationToken),
        _ => Task.FromResult(StateReturn.Fail(call.Name,
            $"cmd.{call.Sfun} does not work with the watch requisite, please use cmd.wait or cmd.wait_script")),
    };
}
