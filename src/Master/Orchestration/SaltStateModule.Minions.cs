using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Orchestration;

public sealed partial class SaltStateModule
{
    /// <summary>Salt's <c>salt.state</c>: state.sls/state.highstate on the target; fails when more minions fail than <c>allow_fail</c>.</summary>
    private async Task<StateReturn> StateAsync(StateCall call, CancellationToken cancellationToken)
    {
        var ret = new StateReturn { Name = call.Name, Result = true, Comment = string.Empty };
        if (!int.TryParse(PyText.Str(call["allow_fail"] ?? 0L), out var allowFail))
        {
            return StateReturn.Fail(call.Name, "Passed invalid value for 'allow_fail', must be an int");
        }
        string fun;
        var args = new List<object?>();
        if (call.GetBool("highstate"))
        {
            fun = "state.highstate";
        }
        else if (call["top"] is { } top)
        {
            fun = "state.top";
            args.Add(top);
        }
        else if (call["sls"] is { } sls)
        {
            fun = "state.sls";
            args.Add(sls is List<object?> list ? string.Join(",", list.Select(PyText.Str)) : PyText.Str(sls));
        }
        else
        {
            return StateReturn.Fail(call.Name, "No highstate or sls specified, no execution made");
        }
        var test = call["test"] is bool explicitTest ? explicitTest : call.Test;
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (call["test"] is not null || call.Test)
        {
            kwargs["test"] = test;
        }
        foreach (var key in new[] { "pillar", "pillarenv", "saltenv", "exclude" })
        {
            if (call[key] is { } value)
            {
                kwargs[key] = value;
            }
        }
        kwargs["queue"] = call.GetBool("queue");
        if (call["concurrent"] is not (null or bool))
        {
            return StateReturn.Fail(call.Name, "Must pass in boolean for value of 'concurrent'");
        }
        kwargs["concurrent"] = call.GetBool("concurrent");
        if (call.GetBool("failhard") || call.Context.Opts.GetValueOrDefault("failhard") is true)
        {
            kwargs["failhard"] = true;
        }
        var returns = await backend.RunJobAsync(call.GetString("tgt")!, call.GetString("tgt_type") ?? "glob", fun, args, kwargs, Timeout(call),
            call["batch"] is { } batch ? PyText.Str(batch) : null, user, cancellationToken).ConfigureAwait(false);
        return Judge(call, ret, returns, allowFail, test);
    }

    private static StateReturn Judge(StateCall call, StateReturn ret, Dictionary<string, MinionReturn> returns, int allowFail, bool test)
    {
        var failMinions = FailMinions(call, ret);
        if (returns.Count == 0)
        {
            if (call.GetBool("expect_minions", true))
            {
                return StateReturn.Fail(call.Name, "No minions returned");
            }
        }
        else
        {
            ret.Extra["__jid__"] = returns.Values.First().Jid;
        }
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var fail = new List<string>();
        var noChange = new List<string>();
        foreach (var (minion, answer) in returns)
        {
            if (answer.Failed || !CheckResult(answer.Return))
            {
                if (!failMinions.Contains(minion))
                {
                    fail.Add(minion);
                }
                changes[minion] = answer.Return;
                continue;
            }
            if (((Dictionary<string, object?>)answer.Return!).Values.Any(s => s is Dictionary<string, object?> state && DataTree.IsTruthy(state.GetValueOrDefault("changes"))))
            {
                changes[minion] = answer.Return;
            }
            else
            {
                noChange.Add(minion);
            }
        }
        if (changes.Count > 0)
        {
            ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["out"] = "highstate", ["ret"] = changes };
        }
        if (fail.Count > allowFail)
        {
            ret.Result = false;
            ret.Comment = $"Run failed on minions: {string.Join(", ", fail)}";
        }
        else
        {
            var comment = "States ran successfully.";
            if (changes.Count > 0)
            {
                comment += $" Updating {string.Join(", ", changes.Keys)}.";
            }
            if (noChange.Count > 0)
            {
                comment += $" No changes made to {string.Join(", ", noChange)}.";
            }
            ret.Comment = comment;
        }
        if (test && ret.Changes.Count > 0 && ret.Result is true)
        {
            // Test mode with changes is the only case where the result is None.
            ret.Result = null;
        }
        return ret;
    }

    /// <summary>Salt's <c>salt.function</c>: one execution function on the target; fails on a minion's retcode, False return or fail_function.</summary>
    private async Task<StateReturn> FunctionAsync(StateCall call, CancellationToken cancellationToken)
    {
        var ret = new StateReturn { Name = call.Name, Result = true, Comment = string.Empty };
        var tgt = call.GetString("tgt")!;
        var args = call["arg"] switch
        {
            null => [],
            List<object?> list => list,
            var text => WarnSplit(ret, PyText.Str(text)),
        };
        var kwargs = call.GetMap("kwarg") ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        if (call.Test)
        {
            return new StateReturn { Name = call.Name, Result = null, Comment = $"Function {call.Name} would be executed on target {tgt}" };
        }
        var returns = await backend.RunJobAsync(tgt, call.GetString("tgt_type") ?? "glob", call.Name, args, kwargs, Timeout(call),
            call["batch"] is { } batch ? PyText.Str(batch) : null, user, cancellationToken).ConfigureAwait(false);
        if (returns.Count > 0)
        {
            ret.Extra["__jid__"] = returns.Values.First().Jid;
        }
        var failMinions = FailMinions(call, ret);
        var failFunction = call.GetString("fail_function");
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var fail = new List<string>();
        foreach (var (minion, answer) in returns)
        {
            var ok = !answer.Failed && answer.Return is not false;
            if (answer.Retcode != 0)
            {
                ret.Result = false;
                fail.Add(minion);
            }
            if (ok && failFunction is not null)
            {
                var judged = await call.InvokeAsync(failFunction, [answer.Return], new Dictionary<string, object?>(StringComparer.Ordinal), cancellationToken)
                    .ConfigureAwait(false);
                ok = DataTree.IsTruthy(judged.Return);
            }
            if (!ok && !failMinions.Contains(minion) && !fail.Contains(minion))
            {
                fail.Add(minion);
            }
            changes[minion] = answer.Failed ? false : answer.Return;
        }
        if (returns.Count == 0)
        {
            return new StateReturn { Name = call.Name, Result = false, Comment = "No minions responded" };
        }
        ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["ret"] = changes };
        if (fail.Count > 0)
        {
            ret.Result = false;
            ret.Comment = $"Running function {call.Name} failed on minions: {string.Join(", ", fail)}";
        }
        else
        {
            ret.Comment = "Function ran successfully.";
        }
        ret.Comment += $" Function {call.Name} ran on {string.Join(", ", changes.Keys)}.";
        return ret;
    }

    private static List<object?> WarnSplit(StateReturn ret, string text)
    {
        Warn(ret, "Please specify 'arg' as a list of arguments.");
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList();
    }
}
