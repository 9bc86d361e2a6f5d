using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Data;
using Orchestrator.Minion.StateEngine.Requisites;
namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// Turns high data into ordered low chunks as Salt's <c>State.call_high</c> does before running: reconcile <c>extend</c>,
/// verify the structure, fold the <c>*_in</c>, <c>prereq</c> and <c>use</c> requisites into their targets, apply
/// <c>exclude</c>, expand <c>names</c> and sort by <c>order</c>.
/// </summary>
public static class HighDataCompiler
{
    /// <summary>Keys of a low chunk that are the state system's, not the state function's.</summary>
    public static readonly IReadOnlySet<string> InternalKeywords = new HashSet<string>(RequisiteKind.Keywords.Concat(
    [
        "fun", "state", "check_cmd", "failhard", "onlyif", "unless", "creates", "retry", "order", "parallel", "reload_modules",
        "reload_grains", "reload_pillar", "runas", "runas_password", "fire_event", "saltenv", "umask", "__env__", "__sls__",
        "__id__", "__sls_included_from__", "__orchestration_jid__", "__prereq__", "__prerequired__", "__umask__", "__reqs__",
        "name_order", "sfun", "cmd_opts_exclude",
    ]), StringComparer.Ordinal);

    /// <summary>Runs every compile step; errors mean nothing runs (Salt returns them as the job's return, retcode 1).</summary>
    public static (List<Dictionary<string, object?>> Chunks, List<string> Errors) Compile(Dictionary<string, object?> high)
    {
        var errors = new List<string>();
        errors.AddRange(ReconcileExtend(high, strict: false));
        errors.AddRange(VerifyHigh(high));
        if (errors.Count > 0)
        {
            return ([], errors);
        }
        errors.AddRange(RequisiteIn(high));
        ApplyExclude(high);
        if (errors.Count > 0)
        {
            return ([], errors);
        }
        return (CompileHighData(high), errors);
    }

    public static List<string> ReconcileExtend(Dictionary<string, object?> high, bool strict)
    {
        var errors = new List<string>();
        if (!high.ContainsKey("__extend__"))
        {
            return errors;
        }
        var ext = Ordered.Pop(high, "__extend__") as List<object?> ?? [];
        foreach (var extChunk in ext.OfType<Dictionary<string, object?>>())
        {
            foreach (var (extName, extBody) in extChunk)
            {
                if (extBody is not Dictionary<string, object?> body)
                {
                    continue;
                }
                var name = extName;
                var stateType = body.Keys.FirstOrDefault(k => !k.StartsWith("__", StringComparison.Ordinal));
                if (stateType is null)
                {
                    continue;
                }
                if (high.GetValueOrDefault(name) is not Dictionary<string, object?> target || !target.ContainsKey(stateType))
                {
                    var ids = FindName(name, stateType, high, strict);
                    if (ids.Count != 1)
                    {
                        errors.Add(
                            $"Cannot extend ID '{name}' in '{body.GetValueOrDefault("__env__") ?? "base"}:{body.GetValueOrDefault("__sls__") ?? "base"}'. "
                            + "It is not part of the high state.\nThis is likely due to a missing include statement or an incorrectly typed ID.\n"
                            + $"Ensure that a state with an ID of '{name}' is available\nin environment '{body.GetValueOrDefault("__env__") ?? "base"}' "
                            + $"and to SLS '{body.GetValueOrDefault("__sls__") ?? "base"}'");
                        continue;
                    }
                    name = ids[0].Id;
                }
                var highBody = (Dictionary<string, object?>)high[name]!;
                foreach (var (state, runObj) in body)
                {
                    if (state.StartsWith("__", StringComparison.Ordinal) || runObj is not List<object?> run)
                    {
                        continue;
                    }
                    if (highBody.GetValueOrDefault(state) is not List<object?> existing)
                    {
                        highBody[state] = run;
                        continue;
                    }
                    foreach (var arg in run)
                    {
                        var update = false;
                        for (var h = 0; h < existing.Count; h++)
                        {
                            if (arg is string && existing[h] is string)
                            {
                                existing[h] = arg;
                                update = true;
                                continue;
                            }
                            if (arg is Dictionary<string, object?> argDict && argDict.Count > 0 && existing[h] is Dictionary<string, object?> hDict && hDict.Count > 0)
                            {
                                var argFirst = argDict.Keys.First();
                                var hFirst = hDict.Keys.First();
                                if (argFirst == hFirst)
                                {
                                    if (RequisiteKind.Keywords.Contains(argFirst) && hDict[hFirst] is List<object?> hList && argDict[argFirst] is List<object?> aList)
                                    {
                                        hList.AddRange(aList);
                                    }
                                    else
                                    {
                                        existing[h] = arg;
                                    }
                                    update = true;
                                }
                                if (argFirst == "name" && hFirst == "names")
                                {
                                    existing[h] = arg;
                                }
                            }
                        }
                        if (!update)
                        {
                            existing.Add(arg);
                        }
                    }
                }
            }
        }
        return errors;
    }

    public static List<string> VerifyHigh(Dictionary<string, object?> high)
    {
        var errors = new List<string>();
        var reqs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (name, bodyObj) in high)
        {
            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }
            if (bodyObj is not Dictionary<string, object?> body)
            {
                errors.Add($"The type {name} in {PyText.Str(bodyObj)} is not formatted as a dictionary");
                continue;
            }
            var sls = PyText.Str(body.GetValueOrDefault("__sls__"));
            foreach (var (state, runObj) in body)
            {
                if (state.StartsWith("__", StringComparison.Ordinal))
                {
                    continue;
                }
                if (runObj is null)
                {
                    errors.Add($"ID '{name}' in SLS '{sls}' contains a short declaration ({state}) with a trailing colon. When not passing any arguments to a state, the colon must be omitted.");
                    continue;
                }
                if (runObj is not List<object?> run)
                {
                    errors.Add($"State '{name}' in SLS '{sls}' is not formed as a list");
                    continue;
                }
                var fun = state.Contains('.', StringComparison.Ordinal) ? 1 : 0;
                foreach (var arg in run)
                {
                    if (arg is string s)
                    {
                        fun++;
                        if (s.Trim().Contains(' ', StringComparison.Ordinal))
                        {
                            errors.Add($"The function \"{s}\" in state \"{name}\" in SLS \"{sls}\" has whitespace, a function with whitespace is not supported, perhaps this is an argument that is missing a \":\"");
                        }
                    }
                    else if (arg is Dictionary<string, object?> { Count: > 0 } argDict)
                    {
                        var argFirst = argDict.Keys.First();
                        if (argFirst == "names" && argDict[argFirst] is not List<object?>)
                        {
                            errors.Add($"The 'names' argument in state '{name}' in SLS '{sls}' needs to be formed as a list");
                        }
                        if (RequisiteKind.VerifiedInHigh.Contains(argFirst))
                        {
                            if (argDict[argFirst] is not List<object?> reqList)
                            {
                                errors.Add($"The {argFirst} statement in state '{name}' in SLS '{sls}' needs to be formed as a list");
                            }
                            else
                            {
                                reqs[name] = new Dictionary<string, string>(StringComparer.Ordinal) { ["state"] = state };
                                foreach (var reqObj in reqList)
                                {
                                    var req = reqObj is string rs ? new Dictionary<string, object?> { ["id"] = rs } : reqObj as Dictionary<string, object?>;
                                    if (req is null || req.Count == 0)
                                    {
                                        errors.Add($"Requisite declaration {PyText.Str(reqObj)} in SLS {sls} is not formed as a single key dictionary");
                                        continue;
                                    }
                                    var reqKey = req.Keys.First();
                                    var reqVal = req[reqKey];
                                    if (reqKey.Contains('.', StringComparison.Ordinal))
                                    {
                                        errors.Add($"Invalid requisite type '{reqKey}' in state '{name}', in SLS '{sls}'. Requisite types must not contain dots, did you mean '{reqKey[..reqKey.IndexOf('.', StringComparison.Ordinal)]}'?");
                                    }
                                    if (reqVal is Dictionary<string, object?> or List<object?>)
                                    {
                                        errors.Add($"Illegal requisite \"{PyText.Str(reqVal)}\", is SLS {sls}\n");
                                        continue;
                                    }
                                    var val = PyText.Str(reqVal);
                                    reqs[name][val] = reqKey;
                                    if (reqs.TryGetValue(val, out var other) && other.TryGetValue(name, out var back) && back == state
                                        && other["state"] == reqs[name][val])
                                    {
                                        errors.Add($"A recursive requisite was found, SLS \"{sls}\" ID \"{name}\" ID \"{val}\"");
                                    }
                                }
                                // Salt checks the number of keys only for a requisite argument; any other mapping with
                                // several keys is merged into the low chunk as it is.
                                if (argDict.Count != 1)
                                {
                                    errors.Add($"Multiple dictionaries defined in argument of state '{name}' in SLS '{sls}'");
                                }
                            }
                        }
                    }
                }
                if (fun == 0)
                {
                    if (state is "require" or "watch")
                    {
                        continue;
                    }
                    errors.Add($"No function declared in state '{state}' in SLS '{sls}'");
                }
                else if (fun > 1)
                {
                    errors.Add($"Too many functions declared in state '{state}' in SLS '{sls}'");
                }
            }
        }
        return errors;
    }

    /// <summary>Salt's <c>find_name</c>: IDs whose declaration of <paramref name="state"/> has an argument equal to <paramref name="name"/>.</summary>
    public static List<(string Id, string State)> FindName(string name, string state, Dictionary<string, object?> high, bool strict = false)
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

    /// <summary>Folds <c>require_in</c>/<c>watch_in</c>/<c>onchanges_in</c>/<c>onfail_in</c>/<c>prereq(_in)</c>/<c>use(_in)</c> into their targets.</summary>
    public static List<string> RequisiteIn(Dictionary<string, object?> high)
    {
        // Salt's req_in_all: the folded keywords plus the direct forms of the _in ones, which `use` never copies.
        var reqInAll = new HashSet<string>(RequisiteKind.FoldedAtCompile.Concat(
            [RequisiteKind.Require.Name, RequisiteKind.Watch.Name, RequisiteKind.Onfail.Name, RequisiteKind.OnfailStop.Name, RequisiteKind.Onchanges.Name]), StringComparer.Ordinal);
        var extend = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<string>();

        Dictionary<string, object?> ExtFor(string id)
        {
            if (extend.GetValueOrDefault(id) is not Dictionary<string, object?> e)
            {
                e = new Dictionary<string, object?>(StringComparer.Ordinal);
                extend[id] = e;
            }
            return e;
        }

        List<object?> ExtList(string id, string state)
        {
            var e = ExtFor(id);
            if (e.GetValueOrDefault(state) is not List<object?> l)
            {
                l = [];
                e[state] = l;
            }
            return l;
        }

        void AddReq(string name, string targetState, string rkey, string state, string id, Dictionary<string, object?> body)
        {
            var list = ExtList(name, targetState);
            var e = ExtFor(name);
            e["__env__"] = body.GetValueOrDefault("__env__");
            e["__sls__"] = body.GetValueOrDefault("__sls__");
            var found = false;
            foreach (var entry in list.OfType<Dictionary<string, object?>>())
            {
                if (entry.Keys.First() == rkey && entry[rkey] is List<object?> reqs)
                {
                    reqs.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { [state] = id });
                    found = true;
                }
            }
            if (!found)
            {
                list.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    [rkey] = new List<object?> { new Dictionary<string, object?>(StringComparer.Ordinal) { [state] = id } },
                });
            }
        }

        void CopyArgs(string fromId, string fromState, string toId, string toState, HashSet<string> ignore)
        {
            if (high.GetValueOrDefault(fromId) is not Dictionary<string, object?> fromBody || fromBody.GetValueOrDefault(fromState) is not List<object?> fromRun)
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

        foreach (var (id, bodyObj) in high)
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
                    if (arg is not Dictionary<string, object?> { Count: > 0 } argDict)
                    {
                        continue;
                    }
                    var key = argDict.Keys.First();
                    if (!RequisiteKind.FoldedAtCompile.Contains(key))
                    {
                        continue;
                    }
                    var rkey = key.Split('_')[0];
                    var items = argDict[key];
                    if (items is Dictionary<string, object?> single)
                    {
                        foreach (var (st, nm) in single)
                        {
                            var targetState = st;
                            if (st.Contains('.', StringComparison.Ordinal))
                            {
                                errors.Add($"Invalid requisite in {rkey}: {st} for {PyText.Str(nm)}, in SLS '{body.GetValueOrDefault("__sls__")}'. Requisites must not contain dots, did you mean '{st[..st.IndexOf('.', StringComparison.Ordinal)]}'?");
                                targetState = st.Split('.')[0];
                            }
                            AddReq(PyText.Str(nm), targetState, rkey, state, id, body);
                        }
                    }
                    if (items is not List<object?> itemList)
                    {
                        continue;
                    }
                    var hinges = new List<(string Name, string State)>();
                    foreach (var indObj in itemList)
                    {
                        var ind = indObj as Dictionary<string, object?>;
                        if (ind is null)
                        {
                            var indName = PyText.Str(indObj);
                            if (high.GetValueOrDefault(indName) is Dictionary<string, object?> indBody)
                            {
                                var first = indBody.Keys.FirstOrDefault(k => !k.StartsWith("__", StringComparison.Ordinal));
                                if (first is null)
                                {
                                    continue;
                                }
                                ind = new Dictionary<string, object?> { [first] = indName };
                            }
                            else
                            {
                                foreach (var (otherId, otherBodyObj) in high)
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
                                            ind = new Dictionary<string, object?> { [otherState] = otherId };
                                        }
                                    }
                                }
                                if (ind is null)
                                {
                                    continue;
                                }
                            }
                        }
                        if (ind.Count == 0)
                        {
                            continue;
                        }
                        var pstate = ind.Keys.First();
                        var pname = PyText.Str(ind[pstate]);
                        if (pstate == "sls")
                        {
                            hinges = FindSlsIds(pname, high);
                        }
                        else
                        {
                            hinges.Add((pname, pstate));
                        }
                        if (pstate.Contains('.', StringComparison.Ordinal))
                        {
                            errors.Add($"Invalid requisite in {rkey}: {pstate} for {pname}, in SLS '{body.GetValueOrDefault("__sls__")}'. Requisites must not contain dots, did you mean '{pstate[..pstate.IndexOf('.', StringComparison.Ordinal)]}'?");
                        }
                        foreach (var (hName, hStateRaw) in hinges)
                        {
                            var hState = hStateRaw.Split('.')[0];
                            if (key == RequisiteKind.Prereq.InName)
                            {
                                ExtList(id, state).Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                                {
                                    [RequisiteKind.Prerequired.Name] = new List<object?> { new Dictionary<string, object?>(StringComparer.Ordinal) { [hState] = hName } },
                                });
                            }
                            if (key == RequisiteKind.Prereq.Name)
                            {
                                foreach (var (extId, reqState) in FindName(hName, hState, high))
                                {
                                    ExtList(extId, reqState).Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                                    {
                                        [RequisiteKind.Prerequired.Name] = new List<object?> { new Dictionary<string, object?>(StringComparer.Ordinal) { [state] = id } },
                                    });
                                }
                                continue;
                            }
                            if (key == RequisiteKind.Use.InName)
                            {
                                foreach (var (extId, reqState) in FindName(hName, hState, high))
                                {
                                    var ignore = new HashSet<string>(reqInAll.Concat(StateArgs(extId, hState, high)), StringComparer.Ordinal);
                                    CopyArgs(id, state, extId, reqState, ignore);
                                }
                                continue;
                            }
                            if (key == RequisiteKind.Use.Name)
                            {
                                foreach (var (extId, reqState) in FindName(hName, hState, high))
                                {
                                    var ignore = new HashSet<string>(reqInAll.Concat(StateArgs(id, state, high)), StringComparer.Ordinal);
                                    CopyArgs(extId, reqState, id, state, ignore);
                                }
                                continue;
                            }
                            AddReq(hName, hState, rkey, state, id, body);
                        }
                    }
                }
            }
        }
        high["__extend__"] = extend.Select(kv => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { [kv.Key] = kv.Value }).ToList();
        errors.AddRange(ReconcileExtend(high, strict: true));
        return errors;
    }

    public static void ApplyExclude(Dictionary<string, object?> high)
    {
        if (!high.ContainsKey("__exclude__"))
        {
            return;
        }
        var exclude = Ordered.Pop(high, "__exclude__") as List<object?> ?? [];
        var exSls = new HashSet<string>(StringComparer.Ordinal);
        var exId = new HashSet<string>(StringComparer.Ordinal);
        foreach (var exc in exclude)
        {
            if (exc is string s)
            {
                exSls.Add(s);
            }
            else if (exc is Dictionary<string, object?> { Count: 1 } d)
            {
                var k = d.Keys.First();
                if (k == "sls")
                {
                    exSls.Add(PyText.Str(d[k]));
                }
                else if (k == "id")
                {
                    exId.Add(PyText.Str(d[k]));
                }
            }
        }
        foreach (var (name, bodyObj) in high)
        {
            if (name.StartsWith("__", StringComparison.Ordinal) || bodyObj is not Dictionary<string, object?> body)
            {
                continue;
            }
            var sls = body.GetValueOrDefault("__sls__") as string;
            if (string.IsNullOrEmpty(sls))
            {
                continue;
            }
            if (exSls.Any(ex => FnMatch.IsMatch(sls, ex)))
            {
                exId.Add(name);
            }
        }
        foreach (var id in exId)
        {
            if (high.ContainsKey(id))
            {
                Ordered.Pop(high, id);
            }
        }
    }

    /// <summary>High data to low chunks: one chunk per (ID, state, name), sorted by order then state+name+fun.</summary>
    public static List<Dictionary<string, object?>> CompileHighData(Dictionary<string, object?> high)
    {
        var chunks = new List<Dictionary<string, object?>>();
        foreach (var (name, bodyObj) in high)
        {
            if (name.StartsWith("__", StringComparison.Ordinal) || bodyObj is not Dictionary<string, object?> body)
            {
                continue;
            }
            foreach (var (state, runObj) in body)
            {
                if (state.StartsWith("__", StringComparison.Ordinal) || runObj is not List<object?> run)
                {
                    continue;
                }
                var funcs = new List<string>();
                var names = new List<object?>();
                var chunk = new Dictionary<string, object?>(StringComparer.Ordinal) { ["state"] = state, ["name"] = name };
                if (body.TryGetValue("__sls__", out var sls))
                {
                    chunk["__sls__"] = sls;
                }
                if (body.TryGetValue("__env__", out var env))
                {
                    chunk["__env__"] = env;
                }
                chunk["__id__"] = name;
                foreach (var arg in run)
                {
                    if (arg is string f)
                    {
                        if (!funcs.Contains(f))
                        {
                            funcs.Add(f);
                        }
                        continue;
                    }
                    if (arg is not Dictionary<string, object?> argDict)
                    {
                        continue;
                    }
                    foreach (var (key, val) in argDict)
                    {
                        if (key == "names")
                        {
                            foreach (var n in val as List<object?> ?? [])
                            {
                                if (!names.Any(x => DataEqualsShallow(x, n)))
                                {
                                    names.Add(n);
                                }
                            }
                        }
                        else if (key == "state")
                        {
                            continue;
                        }
                        else if (key == "name" && val is not string)
                        {
                            chunk[key] = name;
                        }
                        else
                        {
                            chunk[key] = val;
                        }
                    }
                }
                if (names.Count > 0)
                {
                    var nameOrder = 1;
                    foreach (var entry in names)
                    {
                        var live = (Dictionary<string, object?>)DictUpdate.DeepCopy(chunk)!;
                        if (entry is Dictionary<string, object?> { Count: > 0 } entryDict)
                        {
                            var lowName = entryDict.Keys.First();
                            live["name"] = lowName;
                            foreach (var over in entryDict[lowName] as List<object?> ?? [])
                            {
                                if (over is Dictionary<string, object?> overDict)
                                {
                                    foreach (var (k, v) in overDict)
                                    {
                                        live[k] = v;
                                    }
                                }
                            }
                        }
                        else
                        {
                            live["name"] = PyText.Str(entry);
                        }
                        live["name_order"] = (long)nameOrder;
                        nameOrder++;
                        foreach (var fun in funcs)
                        {
                            var perFun = Ordered.Copy(live);
                            perFun["fun"] = fun;
                            chunks.Add(perFun);
                        }
                    }
                }
                else
                {
                    foreach (var fun in funcs)
                    {
                        var live = (Dictionary<string, object?>)DictUpdate.DeepCopy(chunk)!;
                        live["fun"] = fun;
                        chunks.Add(live);
                    }
                }
            }
        }
        return OrderChunks(chunks);
    }

    private static bool DataEqualsShallow(object? a, object? b) => a is string sa && b is string sb ? sa == sb : ReferenceEquals(a, b);

    /// <summary>Salt's <c>order_chunks</c>: <c>first</c> = 0, unordered = cap, <c>last</c> = cap + 1000000, negatives from the end.</summary>
    public static List<Dictionary<string, object?>> OrderChunks(List<Dictionary<string, object?>> chunks)
    {
        double cap = 1;
        foreach (var chunk in chunks)
        {
            if (chunk.GetValueOrDefault("order") is long order && order > cap - 1 && order > 0)
            {
                cap = order + 100;
            }
        }
        var keyed = new List<(double Order, string Key, int Index, Dictionary<string, object?> Chunk)>();
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            double order;
            switch (chunk.GetValueOrDefault("order"))
            {
                case null when !chunk.ContainsKey("order"):
                    order = cap;
                    break;
                case long l:
                    order = l;
                    break;
                case double d:
                    order = d;
                    break;
                case "last":
                    order = cap + 1000000;
                    break;
                case "first":
                    order = 0;
                    break;
                default:
                    order = cap;
                    break;
            }
            if (chunk.TryGetValue("name_order", out var nameOrder) && nameOrder is long no)
            {
                order += no / 10000.0;
                Ordered.Pop(chunk, "name_order");
            }
            if (order < 0)
            {
                order = cap + 1000000 + order;
            }
            chunk["order"] = double.IsInteger(order) ? (object)(long)order : order;
            keyed.Add((order, PyText.Str(chunk["state"]) + PyText.Str(chunk["name"]) + PyText.Str(chunk["fun"]), i, chunk));
        }
        return keyed
            .OrderBy(k => k.Order)
            .ThenBy(k => k.Key, StringComparer.Ordinal)
            .ThenBy(k => k.Index)
            .Select(k => k.Chunk)
            .ToList();
    }
}
