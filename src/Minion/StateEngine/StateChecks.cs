using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// The global state options evaluated around a state call: <c>onlyif</c>, <c>unless</c> (shell strings or <c>fun:</c> calls),
/// <c>creates</c>, and <c>check_cmd</c>. Commands run through <c>cmd.run_all</c> on the invoker.
/// </summary>
public sealed class StateChecks(ModuleContext context)
{
    /// <summary>Runs a shell command through <c>cmd.run_all</c> and returns its exit code (100 when it could not run).</summary>
    public async Task<long> RetcodeAsync(string command, CancellationToken cancellationToken)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["python_shell"] = true,
            ["ignore_retcode"] = true,
        };
        var result = await context.Modules.InvokeAsync("cmd.run_all", [command], kwargs, context, cancellationToken).ConfigureAwait(false);
        if (result.Return is Dictionary<string, object?> d && d.GetValueOrDefault("retcode") is long code)
        {
            return code;
        }
        return 100;
    }

    private async Task<(object? Value, long Retcode)> RunFunctionAsync(Dictionary<string, object?> entry, CancellationToken cancellationToken)
    {
        var fun = PyText.Str(entry["fun"]);
        var args = entry.GetValueOrDefault("args") as List<object?> ?? [];
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in entry)
        {
            if (k is not ("fun" or "args" or "get_return"))
            {
                kwargs[k] = v;
            }
        }
        var result = await context.Modules.InvokeAsync(fun, args, kwargs, context, cancellationToken).ConfigureAwait(false);
        return (result.Return, result.Success ? result.Retcode : Math.Max(1, result.Retcode));
    }

    private static object? Traverse(object? value, string path) => ModuleContext.Traverse(value, path);

    /// <summary>Salt's <c>_run_check</c>: result True (with <c>skip_watch</c>) means "do not run the state".</summary>
    public async Task<Dictionary<string, object?>> RunCheckAsync(Dictionary<string, object?> low, CancellationToken cancellationToken)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal) { ["result"] = false };
        var comments = new List<object?>();
        foreach (var key in new[] { "__sls__", "__id__", "name" })
        {
            ret[key] = low.GetValueOrDefault(key);
        }
        if (low.ContainsKey("onlyif"))
        {
            var r = await OnlyIfAsync(low["onlyif"], cancellationToken).ConfigureAwait(false);
            ret["result"] = r.GetValueOrDefault("result");
            comments.Add(r.GetValueOrDefault("comment"));
            if (r.ContainsKey("skip_watch"))
            {
                ret["skip_watch"] = r["skip_watch"];
            }
        }
        if (low.ContainsKey("unless"))
        {
            var r = await UnlessAsync(low["unless"], cancellationToken).ConfigureAwait(false);
            ret["result"] = r.GetValueOrDefault("result") is true || ret["result"] is true;
            comments.Add(r.GetValueOrDefault("comment"));
            if (r.ContainsKey("skip_watch"))
            {
                ret["skip_watch"] = DataTree.IsTruthy(r["skip_watch"]) || DataTree.IsTruthy(ret.GetValueOrDefault("skip_watch"));
            }
        }
        if (low.ContainsKey("creates"))
        {
            var r = Creates(low["creates"]);
            ret["result"] = r.GetValueOrDefault("result") is true || ret["result"] is true;
            comments.Add(r.GetValueOrDefault("comment"));
            if (r.ContainsKey("skip_watch"))
            {
                ret["skip_watch"] = DataTree.IsTruthy(r["skip_watch"]) || DataTree.IsTruthy(ret.GetValueOrDefault("skip_watch"));
            }
        }
        // Salt 3006 reports these as one string (3003 leaked the list); several checks are joined by newlines.
        ret["comment"] = string.Join("\n", comments.Select(c => PyText.Str(c)));
        return ret;
    }

    public async Task<Dictionary<string, object?>> OnlyIfAsync(object? onlyif, CancellationToken cancellationToken)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal) { ["result"] = false };
        var entries = onlyif as List<object?> ?? [onlyif];
        bool Check(long code)
        {
            if (code != 0 && ret["result"] is false)
            {
                ret["comment"] = "onlyif condition is false";
                ret["skip_watch"] = true;
                ret["result"] = true;
                return false;
            }
            if (code == 0)
            {
                ret["comment"] = "onlyif condition is true";
                ret["result"] = false;
            }
            return true;
        }
        foreach (var entry in entries)
        {
            if (entry is string command)
            {
                if (!Check(await RetcodeAsync(command, cancellationToken).ConfigureAwait(false)))
                {
                    return ret;
                }
            }
            else if (entry is Dictionary<string, object?> fun)
            {
                if (!fun.ContainsKey("fun"))
                {
                    ret["comment"] = $"no `fun` argument in onlyif: {PyText.Str(fun)}";
                    return ret;
                }
                var (value, retcode) = await RunFunctionAsync(fun, cancellationToken).ConfigureAwait(false);
                if (fun.GetValueOrDefault("get_return") is string path)
                {
                    value = Traverse(value, path);
                }
                if (retcode != 0)
                {
                    if (!Check(retcode))
                    {
                        return ret;
                    }
                }
                else if (!DataTree.IsTruthy(value))
                {
                    ret["comment"] = "onlyif condition is false";
                    ret["skip_watch"] = true;
                    ret["result"] = true;
                    return ret;
                }
                else
                {
                    ret["comment"] = "onlyif condition is true";
                    ret["result"] = false;
                }
            }
            else if (entry is bool b)
            {
                if (!Check(b ? 0 : 1))
                {
                    return ret;
                }
            }
            else
            {
                ret["comment"] = "onlyif execution failed, bad type passed";
                ret["result"] = false;
                return ret;
            }
        }
        return ret;
    }

    public async Task<Dictionary<string, object?>> UnlessAsync(object? unless, CancellationToken cancellationToken)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal) { ["result"] = false };
        var entries = unless as List<object?> ?? [unless];
        bool Check(long code)
        {
            if (code == 0)
            {
                ret["comment"] = "unless condition is true";
                ret["skip_watch"] = true;
                ret["result"] = true;
                return false;
            }
            ret.Remove("skip_watch");
            ret["comment"] = "unless condition is false";
            ret["result"] = false;
            return true;
        }
        foreach (var entry in entries)
        {
            if (entry is string command)
            {
                if (Check(await RetcodeAsync(command, cancellationToken).ConfigureAwait(false)))
                {
                    return ret;
                }
            }
            else if (entry is Dictionary<string, object?> fun)
            {
                if (!fun.ContainsKey("fun"))
                {
                    ret["comment"] = $"no `fun` argument in unless: {PyText.Str(fun)}";
                    return ret;
                }
                var (value, retcode) = await RunFunctionAsync(fun, cancellationToken).ConfigureAwait(false);
                if (fun.GetValueOrDefault("get_return") is string path)
                {
                    value = Traverse(value, path);
                }
                if (retcode != 0)
                {
                    if (Check(retcode))
                    {
                        return ret;
                    }
                }
                else if (DataTree.IsTruthy(value))
                {
                    ret["comment"] = "unless condition is true";
                    ret["skip_watch"] = true;
                    ret["result"] = true;
                }
                else
                {
                    ret["comment"] = "unless condition is false";
                    ret["result"] = false;
                    ret.Remove("skip_watch");
                    return ret;
                }
            }
            else if (entry is bool b)
            {
                if (Check(b ? 0 : 1))
                {
                    return ret;
                }
            }
            else
            {
                ret["comment"] = "unless condition is false";
                ret["result"] = false;
                return ret;
            }
        }
        return ret;
    }

    public static Dictionary<string, object?> Creates(object? creates)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal) { ["result"] = false };
        if (creates is string path && Exists(path))
        {
            ret["comment"] = $"{path} exists";
            ret["result"] = true;
            ret["skip_watch"] = true;
        }
        else if (creates is List<object?> list && list.All(p => p is string s && Exists(s)))
        {
            ret["comment"] = "All files in creates exist";
            ret["result"] = true;
            ret["skip_watch"] = true;
        }
        else
        {
            ret["comment"] = "Creates files not found";
        }
        return ret;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    /// <summary>Salt's <c>_run_check_cmd</c>: after the state ran, each command must exit 0 for the state to count as succeeded.</summary>
    public async Task<Dictionary<string, object?>> RunCheckCmdAsync(Dictionary<string, object?> low, CancellationToken cancellationToken)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal) { ["result"] = false };
        var entries = low["check_cmd"] as List<object?> ?? [low["check_cmd"]];
        foreach (var entry in entries)
        {
            var code = await RetcodeAsync(PyText.Str(entry), cancellationToken).ConfigureAwait(false);
            if (code == 0 && ret["result"] is false)
            {
                ret["comment"] = "check_cmd determined the state succeeded";
                ret["result"] = true;
            }
            else if (code != 0)
            {
                ret["comment"] = "check_cmd determined the state failed";
                ret["result"] = false;
                return ret;
            }
        }
        return ret;
    }
}
