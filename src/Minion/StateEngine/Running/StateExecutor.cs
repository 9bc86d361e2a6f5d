using Orchestrator.Shared.Targeting;
using Orchestrator.Minion.StateEngine.Requisites;
using System.Diagnostics;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Running;

/// <summary>
/// Calls one state function as Salt's <c>State.call</c> does: verifies the chunk, runs <c>unless</c>/<c>onlyif</c>/
/// <c>creates</c>, the function (or its <c>mod_watch</c>, in test mode for a prereq test run, in the background for
/// <c>parallel</c>), <c>check_cmd</c>, and <c>retry</c>; numbers the return. Exceptions become failed returns. A watched
/// state's <c>mod_watch</c> is called here too.
/// </summary>
internal sealed class StateExecutor
{
    private readonly StateModuleRegistry _states;
    private readonly StateRunOptions _options;
    private readonly RunLedger _ledger;

    public StateExecutor(StateModuleRegistry states, StateRunOptions options, RunLedger ledger)
    {
        _states = states;
        _options = options;
        _ledger = ledger;
    }

    public bool HasModWatch(string state) => _states.Exists($"{state}.mod_watch");

    /// <summary>
    /// Calls <paramref name="low"/>; a prereq test run (<see cref="LowChunk.PrereqTestRun"/>) runs in test mode, is not
    /// numbered, and clears the flag, as Salt's <c>call</c> resets <c>__prereq__</c>.
    /// </summary>
    public async Task<Dictionary<string, object?>> CallAsync(
        LowChunk low, IReadOnlyDictionary<string, List<Dictionary<string, object?>>>? reqs, CancellationToken cancellationToken, int attempt = 1)
    {
        var started = DateTime.Now;
        var stopwatch = Stopwatch.StartNew();
        var errors = VerifyData(low);
        if (errors.Count > 0)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["result"] = false,
                ["name"] = low["name"],
                ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                ["comment"] = string.Concat(errors.Select(e => e + "\n")),
                ["__run_num__"] = _ledger.TakeRunNumber(),
            };
        }
        var prereqTest = low.PrereqTestRun;
        var (ret, parallel) = await InvokeWithChecksAsync(low, reqs, prereqTest, cancellationToken).ConfigureAwait(false);
        if (prereqTest)
        {
            low.PrereqTestRun = false;
            return ret;
        }
        ret["__sls__"] = low["__sls__"];
        ret["__run_num__"] = _ledger.TakeRunNumber();
        ret["start_time"] = RunLedger.StartTime(started);
        ret["duration"] = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 3);
        ret["__id__"] = low["__id__"];
        if (low.Has("retry") && !parallel)
        {
            ret = await RetryAsync(low, reqs, ret, attempt, cancellationToken).ConfigureAwait(false);
        }
        return ret;
    }

    /// <summary>A watched target changed: calls the state, then its <c>mod_watch</c> when the call itself changed nothing.</summary>
    public async Task<Dictionary<string, object?>> CallWatchedAsync(
        LowChunk low, IReadOnlyDictionary<string, List<Dictionary<string, object?>>> reqs, CancellationToken cancellationToken)
    {
        var ret = await CallAsync(low, reqs, cancellationToken).ConfigureAwait(false);
        if (DataTree.IsTruthy(ret.GetValueOrDefault("changes")) || DataTree.IsTruthy(ret.GetValueOrDefault("skip_watch")))
        {
            return ret;
        }
        var watch = Ordered.Copy(low.Data);
        watch["sfun"] = low["fun"];
        watch["fun"] = "mod_watch";
        return await CallAsync(new LowChunk(watch, low.Position), reqs, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(Dictionary<string, object?> Ret, bool Parallel)> InvokeWithChecksAsync(
        LowChunk low, IReadOnlyDictionary<string, List<Dictionary<string, object?>>>? reqs, bool prereqTest, CancellationToken cancellationToken)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["result"] = false,
            ["name"] = low["name"],
            ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        };
        var test = _options.Test || prereqTest;
        var module = _states.Module(low.State)!;
        var checks = new StateChecks(_options.Context);
        var parallel = false;
        try
        {
            if (module is not IOwnRunChecks && (low.Has("unless") || low.Has("onlyif") || low.Has("creates")))
            {
                Merge(ret, await checks.RunCheckAsync(low.Data, cancellationToken).ConfigureAwait(false));
            }
            if (ret.GetValueOrDefault("result") is false)
            {
                if (!prereqTest && DataTree.IsTruthy(low["parallel"]))
                {
                    _ledger.StartParallel(low.Tag, Task.Run(() => InvokeAsync(low, reqs, test, module, cancellationToken), cancellationToken));
                    ret = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["name"] = low["name"],
                        ["result"] = null,
                        ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                        ["comment"] = "Started in a separate process",
                    };
                    parallel = true;
                }
                else
                {
                    ret = await InvokeAsync(low, reqs, test, module, cancellationToken).ConfigureAwait(false);
                }
            }
            if (!parallel && low.Has("check_cmd") && !OwnsCheckCmd(low))
            {
                Merge(ret, await checks.RunCheckCmdAsync(low.Data, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            ret = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["result"] = false,
                ["name"] = low["name"],
                ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                ["comment"] = $"An exception occurred in this state: {e.GetType().Name}: {e.Message}",
            };
        }
        return (ret, parallel);
    }

    private static void Merge(Dictionary<string, object?> ret, IEnumerable<KeyValuePair<string, object?>> values)
    {
        foreach (var (k, v) in values)
        {
            ret[k] = v;
        }
    }

    private async Task<Dictionary<string, object?>> RetryAsync(
        LowChunk low, IReadOnlyDictionary<string, List<Dictionary<string, object?>>>? reqs, Dictionary<string, object?> ret, int attempt,
        CancellationToken cancellationToken)
    {
        var retry = RetryOptions.From(low["retry"]);
        if (_options.Test)
        {
            ret["comment"] = string.Join("  ", CommentText(ret.GetValueOrDefault("comment")),
                $"The state would be retried every {retry.Interval} seconds (with a splay of up to {retry.Splay} seconds) a maximum of {retry.Attempts} times or until a result of {PyText.Str(retry.Until)} is returned");
            return ret;
        }
        if (Equals(retry.Until, ret.GetValueOrDefault("result")) || retry.Attempts <= attempt)
        {
            return ret;
        }
        var interval = retry.Interval;
        if (retry.Splay > 0)
        {
            interval += Random.Shared.Next(0, (int)retry.Splay + 1);
        }
        if (interval > 0)
        {
            await _options.Delay(TimeSpan.FromSeconds(interval), cancellationToken).ConfigureAwait(false);
        }
        var next = await CallAsync(low, reqs, cancellationToken, attempt + 1).ConfigureAwait(false);
        var nextComment = next.GetValueOrDefault("comment") is { } c && DataTree.IsTruthy(c) ? CommentText(c) : string.Empty;
        next["comment"] =
            $"Attempt {attempt}: Returned a result of \"{PyText.Str(ret.GetValueOrDefault("result"))}\", with the following comment: \"{CommentText(ret.GetValueOrDefault("comment"))}\"\n{nextComment}";
        next["duration"] = Math.Round(ToDouble(next.GetValueOrDefault("duration")) + ToDouble(ret.GetValueOrDefault("duration")) + (interval * 1000), 3);
        if (attempt == 1)
        {
            next["start_time"] = ret["start_time"];
        }
        return next;
    }

    private List<string> VerifyData(LowChunk low)
    {
        var errors = new List<string>();
        if (low["name"] is { } name and not string)
        {
            errors.Add($"ID '{low.Id}' is not formed as a string, but is a {PyText.TypeName(name)}");
            return errors;
        }
        var full = $"{low.State}.{low.Function}";
        if (!_states.Exists(full))
        {
            if (low.Has("__sls__"))
            {
                errors.Add($"State '{full}' was not found in SLS '{low.Sls}'");
                // Salt's loader: a function missing from a loaded (or never-existing) module "is not available".
                errors.Add($"Reason: '{full}' is not available.");
            }
            else
            {
                errors.Add($"Specified state '{full}' was not found");
            }
        }
        else if (_states.Find(full) is { } function)
        {
            foreach (var parameter in function.Parameters)
            {
                if (parameter.Required && !low.Has(parameter.Name))
                {
                    errors.Add($"Missing parameter {parameter.Name} for state {full}");
                }
            }
        }
        // The graph already folded the watches of a state without mod_watch into its requires.
        var declared = low.Has(RequisiteKind.Watch.Name) ? RequisiteKind.Watch : low.Has(RequisiteKind.Require.Name) ? RequisiteKind.Require : null;
        if (declared is not null)
        {
            foreach (var reference in RequisiteReference.Parse(low[declared.Name]))
            {
                if (low.State == reference.Key && reference.Value is not null
                    && (FnMatch.IsMatch(low.Name, reference.Text) || FnMatch.IsMatch(low.Id, reference.Text)))
                {
                    errors.Add($"Recursive require detected in SLS {low.Sls} for require {PyText.Str(new Dictionary<string, object?> { [reference.Key] = reference.Value })} in ID {low.Id}");
                }
            }
        }
        return errors;
    }

    private static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        _ => 0,
    };

    private static string CommentText(object? comment) => comment switch
    {
        null => string.Empty,
        string s => s,
        List<object?> l => "[" + string.Join(", ", l.Select(PyText.Repr)) + "]",
        _ => PyText.Str(comment),
    };

    // Salt runs the global check_cmd unless the function takes check_cmd itself (file.managed tests the new contents in
    // a temporary file before writing them, and not at all in test mode).
    private bool OwnsCheckCmd(LowChunk low) =>
        _states.Find($"{low.State}.{low.Function}") is { } function && function.Parameters.Any(p => p.Name == "check_cmd");

    private async Task<Dictionary<string, object?>> InvokeAsync(
        LowChunk low, IReadOnlyDictionary<string, List<Dictionary<string, object?>>>? reqs, bool test, IStateModule module, CancellationToken cancellationToken)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        var ownChecks = module is IOwnRunChecks;
        foreach (var (key, value) in low.Data)
        {
            if (HighDataCompiler.InternalKeywords.Contains(key) && !(ownChecks && key is "unless" or "onlyif" or "creates"))
            {
                continue;
            }
            args[key] = value;
        }
        var call = new StateCall
        {
            Name = low.Name,
            State = low.State,
            Function = low.Function,
            Sfun = low["sfun"] as string,
            Args = args,
            Test = test,
            Context = _options.Context,
            Saltenv = low["saltenv"] as string ?? low["__env__"] as string ?? "base",
            Low = low.Data,
            Running = _ledger.Running,
            Reqs = reqs,
            Renderer = _options.Renderer,
        };
        StateReturn result;
        if (low.Function == "mod_watch" && module is IWatchable watchable)
        {
            result = await watchable.ModWatchAsync(call, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            result = await _states.Find($"{call.State}.{low.Function}")!.Handler(call, cancellationToken).ConfigureAwait(false);
        }
        return result.ToDictionary();
    }
}
