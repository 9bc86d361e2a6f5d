using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// Salt's <c>requisite_in</c> on high data: <c>require_in</c>/<c>watch_in</c>/<c>onchanges_in</c>/<c>onfail_in</c> become
/// requisites of their targets, <c>prereq</c> and <c>prereq_in</c> leave <c>prerequired</c> on the other side, and
/// <c>use</c>/<c>use_in</c> copy arguments; all of it as an <c>extend</c> reconciled into the high data.
/// </summary>
internal sealed class RequisiteInFolder
{
    // Salt's req_in_all: the folded keywords plus the direct forms of the _in ones, which `use` never copies.
    private static readonly HashSet<string> _neverUsed = new(RequisiteKind.FoldedAtCompile.Concat(
        [RequisiteKind.Require.Name, RequisiteKind.Watch.Name, RequisiteKind.Onfail.Name, RequisiteKind.OnfailStop.Name, RequisiteKind.Onchanges.Name]), StringComparer.Ordinal);

    private readonly Dictionary<string, object?> _high;
    private readonly Dictionary<string, object?> _extend = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    private RequisiteInFolder(Dictionary<string, object?> high)
    {
        _high = high;
    }

    /// <summary>Folds the high data's reverse requisites into their targets; returns the errors (dotted requisite names).</summary>
    public static List<string> Fold(Dictionary<string, object?> high)
    {
        var folder = new RequisiteInFolder(high);
        folder.FoldAll();
        high["__extend__"] = folder._extend.Select(kv => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { [kv.Key] = kv.Value }).ToList();
        folder._errors.AddRange(HighDataCompiler.ReconcileExtend(high, strict: true));
        return folder._errors;
    }

    private void FoldAll()
    {
        foreach (var (id, bodyObj) in _high)
        {
            if (bodyObj is not Dictionary<string, object?> body)
            {
                continue;
            }
            foreach (var (state, runObj) in body)
            {
                if (state.StartsWith("__", StringComparison.Ordinal) || runObj is not List<object?> run)
                {
                    continue;
                }
                foreach (var arg in run.ToList())
                {
                    if (arg is Dictionary<string, object?> { Count: > 0 } argDict && RequisiteKind.FoldedAtCompile.Contains(argDict.Keys.First()))
                    {
                        var key = argDict.Keys.First();
                        FoldArgument(new Declaring(id, state, body), key, argDict[key]);
                    }
                }
            }
        }
    }

    /// <summary>The state declaring a reverse requisite.</summary>
    private readonly record struct Declaring(string Id, string State, Dictionary<string, object?> Body)
    {
        public object? Sls => Body.GetValueOrDefault("__sls__");
    }

    private void FoldArgument(Declaring from, string key, object? items)
    {
        var rkey = key.Split('_')[0];
        if (items is Dictionary<string, object?> single)
        {
            foreach (var (st, nm) in single)
            {
                var targetState = st;
                if (st.Contains('.', StringComparison.Ordinal))
                {
                    _errors.Add(DottedError(rkey, st, PyText.Str(nm), from));
                    targetState = st.Split('.')[0];
                }
                AddReq(PyText.Str(nm), targetState, rkey, from);
            }
        }
        if (items is not List<object?> itemList)
        {
            return;
        }
        // As in Salt, the hinges accumulate over the list's items (an `sls:` item replaces them).
        var hinges = new List<(string Name, string State)>();
        foreach (var item in itemList)
        {
            if (Indicator(item) is not { Count: > 0 } ind)
            {
                continue;
            }
            var pstate = ind.Keys.First();
            var pname = PyText.Str(ind[pstate]);
            if (pstate == "sls")
            {
                hinges = FindSlsIds(pname, _high);
            }
            else
            {
                hinges.Add((pname, pstate));
            }
            if (pstate.Contains('.', StringComparison.Ordinal))
            {
                _errors.Add(DottedError(rkey, pstate, pname, from));
            }
            foreach (var (hName, hStateRaw) in hinges)
            {
                FoldHinge(from, key, rkey, hName, hStateRaw.Split('.')[0]);
            }
        }
    }

    private static string DottedError(string rkey, string state, string name, Declaring from) =>
        $"Invalid requisite in {rkey}: {state} for {name}, in SLS '{from.Sls}'. Requisites must not contain dots, did you mean '{state[..state.IndexOf('.', StringComparison.Ordinal)]}'?";

    /// <summary>A list item as a one-key mapping: a bare ID takes its first state, a bare name the state that declares it.</summary>
    private Dictionary<string, object?>? Indicator(object? item)
    {
        if (item is Dictionary<string, object?> ind)
        {
            return ind;
        }
        var indName = PyText.Str(item);
        if (_high.GetValueOrDefault(indName) is Dictionary<string, object?> indBody)
        {
            var first = indBody.Keys.FirstOrDefault(k => !k.StartsWith("__", StringComparison.Ordinal));
            return first is null ? null : new Dictionary<string, object?> { [first] = indName };
        }
        Dictionary<string, object?>? found = null;
        foreach (var (otherId, otherBodyObj) in _high)
        {
            if (otherBodyObj is not Dictionary<string, object?> otherBody)
            {
                continue;
            }
            foreach (var (otherState, otherRun) in otherBody)
            {
                if (otherState.StartsWith("__", StringComparison.Ordinal) || otherRun is not List<object?> oargs)
                {
                    continue;
                }
                if (oargs.Any(j => j is Dictionary<string, object?> jd && jd.TryGetValue("name", out var jn) && PyText.Str(jn) == indName))
                {
                    found = new Dictionary<string, object?> { [otherState] = otherId };
                }
            }
        }
        return found;
    }

    private void FoldHinge(Declaring from, string key, string rkey, string hName, string hState)
    {
        if (key == RequisiteKind.Prereq.InName)
        {
            ExtList(from.Id, from.State).Add(Prerequired(hState, hName));
        }
        if (key == RequisiteKind.Prereq.Name)
        {
            foreach (var (extId, reqState) in FindName(hName, hState, _high))
            {
                ExtList(extId, reqState).Add(Prerequired(from.State, from.Id));
            }
            return;
        }
        if (key == RequisiteKind.Use.InName)
        {
            foreach (var (extId, reqState) in FindName(hName, hState, _high))
            {
                CopyArgs(from.Id, from.State, extId, reqState, new HashSet<string>(_neverUsed.Concat(StateArgs(extId, hState, _high)), StringComparer.Ordinal));
            }
            return;
        }
        if (key == RequisiteKind.Use.Name)
        {
            foreach (var (extId, reqState) in FindName(hName, hState, _high))
            {
                CopyArgs(extId, reqState, from.Id, from.State, new HashSet<string>(_neverUsed.Concat(StateArgs(from.Id, from.State, _high)), StringComparer.Ordinal));
            }
            return;
        }
        AddReq(hName, hState, rkey, from);
    }

    private static Dictionary<string, object?> Prerequired(string state, string id) => new(StringComparer.Ordinal)
    {
        [RequisiteKind.Prerequired.Name] = new List<object?> { new Dictionary<string, object?>(StringComparer.Ordinal) { [state] = id } },
    };

    private Dictionary<string, object?> ExtFor(string id)
    {
        if (_extend.GetValueOrDefault(id) is not Dictionary<string, object?> e)
        {
            e = new Dictionary<string, object?>(StringComparer.Ordinal);
            _extend[id] = e;
        }
        return e;
    }

    private List<object?> ExtList(string id, string state)
    {
        var e = ExtFor(id);
        if (e.GetValueOrDefault(state) is not List<object?> l)
        {
            l = [];
            e[state] = l;
        }
        return l;
    }

    private void AddReq(string name, string targetState, string rkey, Declaring from)
    {
        var list = ExtList(name, targetState);
        var e = ExtFor(name);
        e["__env__"] = from.Body.GetValueOrDefault("__env__");
        e["__sls__"] = from.Body.GetValueOrDefault("__sls__");
        var found = false;
        foreach (var entry in list.OfType<Dictionary<string, object?>>())
        {
            if (entry.Keys.First() == rkey && entry[rkey] is List<object?> reqs)
            {
                reqs.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { [from.State] = from.Id });
                found = true;
            }
        }
        if (!found)
        {
            list.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [rkey] = new List<object?> { new Dictionary<string, object?>(StringComparer.Ordinal) { [from.State] = from.Id } },
            });
        }
    }

    private void CopyArgs(string fromId, string fromState, string toId, string toState, HashSet<string> ignore)
    {
        if (_high.GetValueOrDefault(fromId) is not Dictionary<string, object?> fromBody || fromBody.GetValueOrDefault(fromState) is not List<object?> fromRun)
        {
            return;
        }
        var list = ExtList(toId, toState);
        foreach (var arg in fromRun)
        {
            if (arg is not Dictionary<string, object?> { Count: 1 } d)
            {
                continue;
            }
            var key = d.Keys.First();
            if (ignore.Contains(key) || key is "name" or "names")
            {
                continue;
            }
            list.Add(arg);
        }
    }

    /// <summary>Salt's <c>find_name</c>: IDs whose declaration of <paramref name="state"/> has an argument equal to <paramref name="name"/>.</summary>
    internal static List<(string Id, string State)> FindName(string name, string state, Dictionary<string, object?> high, bool strict = false)
    {
        var result = new List<(string, string)>();
        var check2 = !strict || (high.GetValueOrDefault(name) is Dictionary<string, object?> b0 && b0.ContainsKey(state));
        if (high.ContainsKey(name) && check2)
        {
            result.Add((name, state));
        }
        else if (state == "sls")
        {
            foreach (var (nid, item) in high)
            {
                if (item is Dictionary<string, object?> body && PyText.Str(body.GetValueOrDefault("__sls__")) == name)
                {
                    result.Add((nid, body.Keys.First()));
                }
            }
        }
        else
        {
            foreach (var (nid, item) in high)
            {
                if (item is Dictionary<string, object?> body && body.GetValueOrDefault(state) is List<object?> args)
                {
                    foreach (var arg in args)
                    {
                        if (arg is Dictionary<string, object?> { Count: 1 } d && d.Values.First() is var v && v is not null && PyText.Str(v) == name)
                        {
                            result.Add((nid, state));
                        }
                    }
                }
            }
        }
        return result;
    }

    private static HashSet<string> StateArgs(string id, string state, Dictionary<string, object?> high)
    {
        var args = new HashSet<string>(StringComparer.Ordinal);
        if (high.GetValueOrDefault(id) is Dictionary<string, object?> body && body.GetValueOrDefault(state) is List<object?> run)
        {
            foreach (var item in run)
            {
                if (item is Dictionary<string, object?> { Count: 1 } d)
                {
                    args.Add(d.Keys.First());
                }
            }
        }
        return args;
    }

    private static List<(string Id, string State)> FindSlsIds(string sls, Dictionary<string, object?> high)
    {
        var result = new List<(string, string)>();
        foreach (var (nid, item) in high)
        {
            if (item is Dictionary<string, object?> body && PyText.Str(body.GetValueOrDefault("__sls__")) == sls)
            {
                foreach (var st in body.Keys)
                {
                    if (!st.StartsWith("__", StringComparison.Ordinal))
                    {
                        result.Add((nid, st));
                    }
                }
            }
        }
        return result;
    }
}
