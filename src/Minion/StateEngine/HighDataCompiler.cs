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
                    var ids = RequisiteInFolder.FindName(name, stateType, high, strict);
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

    /// <summary>Folds <c>require_in</c>/<c>watch_in</c>/<c>onchanges_in</c>/<c>onfail_in</c>/<c>prereq(_in)</c>/<c>use(_in)</c> into their targets.</summary>
    public static List<string> RequisiteIn(Dictionary<string, object?> high) => RequisiteInFolder.Fold(high);

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
