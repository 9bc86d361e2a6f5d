using Orchestrator.Shared.Targeting;
using System.Diagnostics;
using System.Globalization;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// Runs ordered low chunks with Salt 3006's requisite semantics: each chunk first runs what it requires (recursively), then its
/// requisites decide whether it runs, is skipped (onchanges/onfail), fails ("One or more requisite failed"), runs
/// <c>mod_watch</c> after watched changes, or is pre-run in test mode for <c>prereq</c>. Listeners' <c>mod_watch</c> run at
/// the end, once each. Missing targets and cycles become failed results, never a hang.
/// </summary>
public sealed class StateRunner
{
    private static readonly string[] _checkedRequisites =
        ["require", "require_any", "watch", "watch_any", "prereq", "onfail", "onfail_any", "onfail_all", "onchanges", "onchanges_any"];

    private readonly StateModuleRegistry _states;
    private readonly StateRunOptions _options;
    private readonly Dictionary<string, Dictionary<string, object?>> _pre = new(StringComparer.Ordinal);
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<Dictionary<string, object?>>> _parallel = new(StringComparer.Ordinal);
    private int _runNum;
    private bool _failhard;

    public StateRunner(StateModuleRegistry states, StateRunOptions options)
    {
        _states = states;
        _options = options;
    }

    /// <summary>Compiles high data and runs it; compile errors come back instead of results.</summary>
    public async Task<StateRunResult> CallHighAsync(Dictionary<string, object?> high, CancellationToken cancellationToken)
    {
        var (chunks, errors) = HighDataCompiler.Compile(high);
        if (errors.Count > 0)
        {
            return StateRunResult.FromErrors(errors);
        }
        return await RunChunksAsync(chunks, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs compiled, ordered chunks (plus listeners' <c>mod_watch</c>).</summary>
    public async Task<StateRunResult> RunChunksAsync(List<Dictionary<string, object?>> chunks, CancellationToken cancellationToken)
    {
        var running = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        await CallChunksAsync(chunks, running, cancellationToken).ConfigureAwait(false);
        // As in Salt's call_high, listeners are processed even after a failhard stop.
        _failhard = false;
        await CallListenAsync(chunks, running, cancellationToken).ConfigureAwait(false);
        return new StateRunResult(running, []);
    }

    public static string Tag(IReadOnlyDictionary<string, object?> low) =>
        $"{PyText.Str(low.GetValueOrDefault("state"))}_|-{PyText.Str(low.GetValueOrDefault("__id__"))}_|-{PyText.Str(low.GetValueOrDefault("name"))}_|-{PyText.Str(low.GetValueOrDefault("fun"))}";

    private async Task CallChunksAsync(
        List<Dictionary<string, object?>> chunks,
        Dictionary<string, Dictionary<string, object?>> running,
        CancellationToken cancellationToken)
    {
        foreach (var low in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_failhard)
            {
                break;
            }
            var tag = Tag(low);
            if (!running.ContainsKey(tag))
            {
                await CallChunkAsync(low, running, chunks, cancellationToken).ConfigureAwait(false);
                if (CheckFailhard(low, running))
                {
                    _failhard = true;
                    break;
                }
            }
            _active.Clear();
        }
        await ReconcileAsync(running, running.Keys.ToList()).ConfigureAwait(false);
    }

    private bool CheckFailhard(Dictionary<string, object?> low, Dictionary<string, Dictionary<string, object?>> running)
    {
        if (_options.Test)
        {
            return false;
        }
        var tag = Tag(low);
        var failhard = low.TryGetValue("failhard", out var fh) ? DataTree.IsTruthy(fh) : _options.Failhard;
        if (failhard && running.TryGetValue(tag, out var ret))
        {
            return ret.GetValueOrDefault("result") is false;
        }
        return false;
    }

    /// <summary>
    /// The chunks <paramref name="selected"/> need to run: themselves and, transitively, every chunk their requisites point
    /// at, in the order of <paramref name="chunks"/> (Salt's <c>state.sls_id</c> runs one ID "and handles all requisites").
    /// </summary>
    public List<Dictionary<string, object?>> WithRequisites(List<Dictionary<string, object?>> chunks, IEnumerable<Dictionary<string, object?>> selected)
    {
        var needed = new HashSet<Dictionary<string, object?>>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Dictionary<string, object?>>(selected);
        while (pending.Count > 0)
        {
            var chunk = pending.Pop();
            if (!needed.Add(chunk))
            {
                continue;
            }
            foreach (var key in _checkedRequisites)
            {
                foreach (var req in ReqItems(chunk.GetValueOrDefault(key)))
                {
                    foreach (var (reqKey, reqVal) in req)
                    {
                        MatchingChunks(chunks, reqKey, reqVal).ForEach(pending.Push);
                    }
                }
            }
        }
        return chunks.Where(needed.Contains).ToList();
    }

    private static List<Dictionary<string, object?>> ReqItems(object? value)
    {
        var result = new List<Dictionary<string, object?>>();
        if (value is not List<object?> list)
        {
            return result;
        }
        foreach (var item in list)
        {
            switch (item)
            {
                case string s:
                    result.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = s });
                    break;
                case Dictionary<string, object?> { Count: > 0 } d:
                    // trim_req: a requisite written `- file: {name: x}` keeps only the first key and value.
                    var key = d.Keys.First();
                    var val = d[key] is Dictionary<string, object?> inner && inner.Count > 0 ? inner.Values.First() : d[key];
                    result.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { [key] = val });
                    break;
            }
        }
        return result;
    }

    /// <summary>
    /// The chunks a requisite (<c>reqKey: reqVal</c>) points at, in chunk order, as a scan of every chunk with
    /// <see cref="ChunkMatches"/> would find them. The target is compiled once; a literal target (the usual case) only
    /// tries the chunks whose name, ID or SLS equals it, from an index of <paramref name="chunks"/>, so a run with R
    /// requisites costs R lookups instead of R x N glob matches.
    /// </summary>
    private List<Dictionary<string, object?>> MatchingChunks(List<Dictionary<string, object?>> chunks, string reqKey, object? reqVal)
    {
        var result = new List<Dictionary<string, object?>>();
        if (reqVal is null)
        {
            return result;
        }
        var text = PyText.Str(reqVal);
        var pattern = FnMatch.Compile(text);
        if (text.AsSpan().IndexOfAny('*', '?', '[') >= 0)
        {
            foreach (var chunk in chunks)
            {
                if (ChunkMatches(chunk, reqKey, pattern))
                {
                    result.Add(chunk);
                }
            }
            return result;
        }
        var index = ChunkIndex(chunks);
        if ((reqKey == "sls" ? index.BySls : index.ByNameOrId).TryGetValue(text, out var candidates))
        {
            foreach (var i in candidates)
            {
                if (ChunkMatches(chunks[i], reqKey, pattern))
                {
                    result.Add(chunks[i]);
                }
            }
        }
        return result;
    }

    private sealed record ChunkLookup(
        List<Dictionary<string, object?>> Chunks, int Count, Dictionary<string, List<int>> ByNameOrId, Dictionary<string, List<int>> BySls);

    private ChunkLookup? _chunkLookup;

    /// <summary>Positions of the chunks by name and ID, and by SLS (ascending); rebuilt when asked about another list.</summary>
    private ChunkLookup ChunkIndex(List<Dictionary<string, object?>> chunks)
    {
        if (_chunkLookup is { } cached && ReferenceEquals(cached.Chunks, chunks) && cached.Count == chunks.Count)
        {
            return cached;
        }
        var byNameOrId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var bySls = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        static void Add(Dictionary<string, List<int>> map, string key, int position)
        {
            if (!map.TryGetValue(key, out var list))
            {
                list = [];
                map[key] = list;
            }
            list.Add(position);
        }
        for (var i = 0; i < chunks.Count; i++)
        {
            var name = PyText.Str(chunks[i].GetValueOrDefault("name"));
            var id = PyText.Str(chunks[i].GetValueOrDefault("__id__"));
            Add(byNameOrId, name, i);
            if (id != name)
            {
                Add(byNameOrId, id, i);
            }
            Add(bySls, PyText.Str(chunks[i].GetValueOrDefault("__sls__")), i);
        }
        _chunkLookup = new ChunkLookup(chunks, chunks.Count, byNameOrId, bySls);
        return _chunkLookup;
    }

    private static bool ChunkMatches(Dictionary<string, object?> chunk, string reqKey, FnMatch? pattern)
    {
        if (pattern is null)
        {
            return false;
        }
        if (reqKey == "sls")
        {
            return pattern.IsMatch(PyText.Str(chunk.GetValueOrDefault("__sls__")));
        }
        if (pattern.IsMatch(PyText.Str(chunk.GetValueOrDefault("name"))) || pattern.IsMatch(PyText.Str(chunk.GetValueOrDefault("__id__"))))
        {
            return reqKey == "id" || PyText.Str(chunk.GetValueOrDefault("state")) == reqKey;
        }
        return false;
    }

    private void WatchToRequire(Dictionary<string, object?> low, string watch, string require)
    {
        if (!low.ContainsKey(watch))
        {
            return;
        }
        if (_states.Exists($"{PyText.Str(low["state"])}.mod_watch"))
        {
            return;
        }
        var items = low[watch] as List<object?> ?? [];
        Ordered.Pop(low, watch);
        if (low.GetValueOrDefault(require) is List<object?> existing)
        {
            existing.AddRange(items);
        }
        else
        {
            low[require] = items;
        }
    }

    private async Task<(string Status, Dictionary<string, List<Dictionary<string, object?>>> Reqs)> CheckRequisiteAsync(
        Dictionary<string, object?> low,
        Dictionary<string, Dictionary<string, object?>> running,
        List<Dictionary<string, object?>> chunks,
        bool pre)
    {
        var empty = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        WatchToRequire(low, "watch", "require");
        WatchToRequire(low, "watch_any", "require_any");
        var present = _checkedRequisites.Any(low.ContainsKey) || low.ContainsKey("prerequired");
        if (!present)
        {
            return ("met", empty);
        }
        var reqs = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        foreach (var r in _checkedRequisites)
        {
            reqs[r] = [];
        }
        if (pre)
        {
            reqs["prerequired"] = [];
        }
        foreach (var rState in reqs.Keys.ToList())
        {
            if (!low.TryGetValue(rState, out var value) || value is null)
            {
                continue;
            }
            foreach (var req in ReqItems(value))
            {
                var reqKey = req.Keys.First();
                var matched = MatchingChunks(chunks, reqKey, req[reqKey]);
                reqs[rState].AddRange(matched);
                if (matched.Count == 0)
                {
                    return ("unmet", empty);
                }
            }
        }
        var funStats = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (rState, reqChunks) in reqs)
        {
            var reqStats = new HashSet<string>(StringComparer.Ordinal);
            var runDict = rState.StartsWith("prereq", StringComparison.Ordinal) && rState != "prerequired" ? _pre : running;
            await ReconcileAsync(runDict, reqChunks.Select(Tag).ToList()).ConfigureAwait(false);
            foreach (var chunk in reqChunks)
            {
                var tag = Tag(chunk);
                if (!runDict.TryGetValue(tag, out var ret))
                {
                    reqStats.Add("unmet");
                    continue;
                }
                if (DataTree.IsTruthy(ret.GetValueOrDefault("skip_req")))
                {
                    reqStats.Add("skip_req");
                }
                var result = ret.GetValueOrDefault("result");
                var changed = DataTree.IsTruthy(ret.GetValueOrDefault("changes"));
                if (rState.StartsWith("onfail", StringComparison.Ordinal))
                {
                    if (result is true)
                    {
                        reqStats.Add("onfail");
                        continue;
                    }
                }
                else if (result is false)
                {
                    reqStats.Add("fail");
                    continue;
                }
                if (rState.StartsWith("onchanges", StringComparison.Ordinal))
                {
                    reqStats.Add(changed ? "onchangesmet" : "onchanges");
                    continue;
                }
                if (rState.StartsWith("watch", StringComparison.Ordinal) && changed)
                {
                    reqStats.Add("change");
                    continue;
                }
                var isPrereq = rState.StartsWith("prereq", StringComparison.Ordinal);
                if (isPrereq && result is null && rState != "prerequired")
                {
                    reqStats.Add("premet");
                }
                if (isPrereq && result is not null)
                {
                    if (rState != "prerequired")
                    {
                        reqStats.Add("pre");
                    }
                }
                else if (ret.GetValueOrDefault("__state_ran__") is not false)
                {
                    reqStats.Add("met");
                }
            }
            if (rState.EndsWith("_any", StringComparison.Ordinal) || rState == "onfail")
            {
                if (reqStats.Contains("met") || reqStats.Contains("change"))
                {
                    reqStats.Remove("fail");
                }
                if (reqStats.Contains("onchangesmet"))
                {
                    reqStats.Remove("onchanges");
                    reqStats.Remove("fail");
                }
                if (reqStats.Contains("onfail") && reqStats.Contains("met"))
                {
                    reqStats.Remove("onfail");
                }
            }
            if (rState.EndsWith("_all", StringComparison.Ordinal) && reqStats.Contains("onfail"))
            {
                reqStats.Remove("met");
            }
            funStats.UnionWith(reqStats);
        }
        string status;
        if (funStats.Contains("unmet"))
        {
            status = "unmet";
        }
        else if (funStats.Contains("fail"))
        {
            status = "fail";
        }
        else if (funStats.Contains("skip_req") && (funStats.Contains("onchangesmet") || funStats.Contains("premet")))
        {
            status = "skip_req";
        }
        else if (funStats.Contains("pre"))
        {
            status = funStats.Contains("premet") ? "met" : "pre";
        }
        else if (funStats.Contains("onfail") && !funStats.Contains("onchangesmet"))
        {
            status = "onfail";
        }
        else if (funStats.Contains("onchanges") && !funStats.Contains("onchangesmet"))
        {
            status = "onchanges";
        }
        else if (funStats.Contains("change"))
        {
            status = "change";
        }
        else
        {
            status = "met";
        }
        return (status, reqs);
    }

    private Dictionary<string, object?> Skipped(Dictionary<string, object?> low, bool? result, string comment, bool stateRan = true)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = low.GetValueOrDefault("name"),
            ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
            ["result"] = result,
            ["duration"] = 0.0,
            ["start_time"] = StartTime(),
            ["comment"] = comment,
        };
        if (!stateRan)
        {
            ret["__state_ran__"] = false;
        }
        ret["__run_num__"] = (long)_runNum;
        ret["__sls__"] = low.GetValueOrDefault("__sls__");
        ret["__id__"] = low.GetValueOrDefault("__id__");
        _runNum++;
        return ret;
    }

    private static string StartTime() => DateTime.Now.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    private async Task CallChunkAsync(
        Dictionary<string, object?> low,
        Dictionary<string, Dictionary<string, object?>> running,
        List<Dictionary<string, object?>> chunks,
        CancellationToken cancellationToken,
        int depth = 0)
    {
        if (depth > 200)
        {
            running[Tag(low)] = Skipped(low, false, "Recursive requisite found");
            return;
        }
        var tag = Tag(low);
        if (!low.ContainsKey("prerequired"))
        {
            _active.Add(tag);
        }
        var requisites = _checkedRequisites.ToList();
        string status;
        Dictionary<string, List<Dictionary<string, object?>>> reqs;
        if (!IsTrue(low, "__prereq__"))
        {
            requisites.Add("prerequired");
            (status, reqs) = await CheckRequisiteAsync(low, running, chunks, pre: true).ConfigureAwait(false);
        }
        else
        {
            (status, reqs) = await CheckRequisiteAsync(low, running, chunks, pre: false).ConfigureAwait(false);
        }
        switch (status)
        {
            case "unmet":
                {
                    var lost = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
                    var toRun = new List<Dictionary<string, object?>>();
                    foreach (var requisite in requisites)
                    {
                        lost[requisite] = [];
                        if (!low.TryGetValue(requisite, out var value))
                        {
                            continue;
                        }
                        foreach (var req in ReqItems(value))
                        {
                            var reqKey = req.Keys.First();
                            var found = false;
                            foreach (var chunk in MatchingChunks(chunks, reqKey, req[reqKey]))
                            {
                                if (requisite == "prereq")
                                {
                                    chunk["__prereq__"] = true;
                                }
                                else if (requisite == "prerequired")
                                {
                                    chunk["__prerequired__"] = true;
                                }
                                toRun.Add(chunk);
                                found = true;
                            }
                            if (!found)
                            {
                                lost[requisite].Add(req);
                            }
                        }
                    }
                    if (lost.Values.Any(l => l.Count > 0))
                    {
                        var comment = "The following requisites were not found:\n";
                        foreach (var (requisite, lreqs) in lost)
                        {
                            if (lreqs.Count == 0)
                            {
                                continue;
                            }
                            comment += new string(' ', 19) + requisite + ":\n";
                            foreach (var lreq in lreqs)
                            {
                                var k = lreq.Keys.First();
                                comment += new string(' ', 23) + k + ": " + PyText.Str(lreq[k]) + "\n";
                            }
                        }
                        var runDict = IsTrue(low, "__prereq__") ? _pre : running;
                        runDict[tag] = Skipped(low, false, comment);
                        return;
                    }
                    Dictionary<string, object?>? lastChunk = null;
                    foreach (var chunk in toRun)
                    {
                        lastChunk = chunk;
                        var ctag = Tag(chunk);
                        if (running.ContainsKey(ctag))
                        {
                            continue;
                        }
                        if (_active.Contains(ctag))
                        {
                            if (IsTrue(chunk, "__prerequired__"))
                            {
                                // A prereq pointing back at us: run this chunk in test mode first.
                                if (!_pre.ContainsKey(tag))
                                {
                                    low["__prereq__"] = true;
                                    _pre[ctag] = await CallAsync(low, chunks, running, cancellationToken).ConfigureAwait(false);
                                }
                                return;
                            }
                            running[tag] = Skipped(low, false, "Recursive requisite found");
                            return;
                        }
                        await CallChunkAsync(chunk, running, chunks, cancellationToken).ConfigureAwait(false);
                        if (CheckFailhard(chunk, running))
                        {
                            _failhard = true;
                            return;
                        }
                    }
                    if (IsTrue(low, "__prereq__"))
                    {
                        var (preStatus, _) = await CheckRequisiteAsync(low, running, chunks, pre: false).ConfigureAwait(false);
                        var preRet = await CallAsync(low, chunks, running, cancellationToken).ConfigureAwait(false);
                        _pre[tag] = preRet;
                        if (!DataTree.IsTruthy(preRet.GetValueOrDefault("changes")) && preStatus == "change")
                        {
                            preRet["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["watch"] = "watch" };
                            preRet["result"] = null;
                        }
                    }
                    else
                    {
                        await CallChunkAsync(low, running, chunks, cancellationToken, depth + 1).ConfigureAwait(false);
                    }
                    if (lastChunk is not null && CheckFailhard(lastChunk, running))
                    {
                        _failhard = true;
                    }
                    return;
                }
            case "met":
                if (IsTrue(low, "__prereq__"))
                {
                    _pre[tag] = await CallAsync(low, chunks, running, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    running[tag] = await CallAsync(low, chunks, running, cancellationToken).ConfigureAwait(false);
                }
                break;
            case "fail":
                if (_pre.TryGetValue(tag, out var preFailed))
                {
                    running[tag] = preFailed;
                    preFailed["__run_num__"] = (long)_runNum;
                    preFailed["__sls__"] = low.GetValueOrDefault("__sls__");
                    _runNum++;
                }
                else
                {
                    var failed = new SortedSet<string>(StringComparer.Ordinal);
                    foreach (var reqLows in reqs.Values)
                    {
                        foreach (var reqLow in reqLows)
                        {
                            var reqTag = Tag(reqLow);
                            var reqRet = _pre.GetValueOrDefault(reqTag) ?? running.GetValueOrDefault(reqTag);
                            if (reqRet is not null && reqRet.GetValueOrDefault("result") is false)
                            {
                                failed.Add($"{PyText.Str(reqLow.GetValueOrDefault("__sls__"))}.{PyText.Str(reqLow.GetValueOrDefault("__id__"))}");
                            }
                        }
                    }
                    var ret = Skipped(low, false, "One or more requisite failed: " + string.Join(", ", failed));
                    running[tag] = ret;
                    _pre[tag] = ret;
                }
                break;
            case "change" when !IsTrue(low, "__prereq__"):
                {
                    var ret = await CallAsync(low, chunks, running, cancellationToken).ConfigureAwait(false);
                    if (!DataTree.IsTruthy(ret.GetValueOrDefault("changes")) && !DataTree.IsTruthy(ret.GetValueOrDefault("skip_watch")))
                    {
                        var watchLow = Ordered.Copy(low);
                        watchLow["sfun"] = low["fun"];
                        watchLow["fun"] = "mod_watch";
                        ret = await CallAsync(watchLow, chunks, running, cancellationToken, reqs).ConfigureAwait(false);
                    }
                    running[tag] = ret;
                    break;
                }
            case "pre":
                {
                    var ret = Skipped(low, true, "No changes detected");
                    running[tag] = ret;
                    _pre[tag] = ret;
                    break;
                }
            case "onfail":
                running[tag] = Skipped(low, true, "State was not run because onfail req did not change", stateRan: false);
                break;
            case "onchanges":
                running[tag] = Skipped(low, true, "State was not run because none of the onchanges reqs changed", stateRan: false);
                break;
            default:
                if (IsTrue(low, "__prereq__"))
                {
                    _pre[tag] = await CallAsync(low, chunks, running, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    running[tag] = await CallAsync(low, chunks, running, cancellationToken).ConfigureAwait(false);
                }
                break;
        }
    }

    private static bool IsTrue(IReadOnlyDictionary<string, object?> low, string key) => low.TryGetValue(key, out var v) && DataTree.IsTruthy(v);

    private List<string> VerifyData(Dictionary<string, object?> low)
    {
        var errors = new List<string>();
        if (low.GetValueOrDefault("name") is { } name and not string)
        {
            errors.Add($"ID '{PyText.Str(low.GetValueOrDefault("__id__"))}' is not formed as a string, but is a {PyTypeName(name)}");
            return errors;
        }
        var full = $"{PyText.Str(low["state"])}.{PyText.Str(low["fun"])}";
        if (!_states.Exists(full))
        {
            if (low.ContainsKey("__sls__"))
            {
                errors.Add($"State '{full}' was not found in SLS '{PyText.Str(low["__sls__"])}'");
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
                if (parameter.Required && !low.ContainsKey(parameter.Name))
                {
                    errors.Add($"Missing parameter {parameter.Name} for state {full}");
                }
            }
        }
        var reqdec = low.ContainsKey("require") ? "require" : string.Empty;
        if (low.ContainsKey("watch"))
        {
            if (!_states.Exists($"{PyText.Str(low["state"])}.mod_watch"))
            {
                WatchToRequire(low, "watch", "require");
                reqdec = "require";
            }
            else
            {
                reqdec = "watch";
            }
        }
        if (reqdec.Length > 0)
        {
            foreach (var req in ReqItems(low[reqdec]))
            {
                var first = req.Keys.First();
                if (PyText.Str(low["state"]) == first && req[first] is { } target
                    && (FnMatch.IsMatch(PyText.Str(low["name"]), PyText.Str(target)) || FnMatch.IsMatch(PyText.Str(low["__id__"]), PyText.Str(target))))
                {
                    errors.Add($"Recursive require detected in SLS {PyText.Str(low["__sls__"])} for require {PyText.Str(req)} in ID {PyText.Str(low["__id__"])}");
                }
            }
        }
        return errors;
    }

    private static string PyTypeName(object value) => value switch
    {
        bool => "bool",
        long => "int",
        double => "float",
        List<object?> => "list",
        Dictionary<string, object?> => "dict",
        _ => "str",
    };

    private async Task<Dictionary<string, object?>> CallAsync(
        Dictionary<string, object?> low,
        List<Dictionary<string, object?>> chunks,
        Dictionary<string, Dictionary<string, object?>> running,
        CancellationToken cancellationToken,
        Dictionary<string, List<Dictionary<string, object?>>>? reqs = null,
        int retries = 1)
    {
        var started = DateTime.Now;
        var stopwatch = Stopwatch.StartNew();
        var errors = VerifyData(low);
        Dictionary<string, object?> ret;
        if (errors.Count > 0)
        {
            ret = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["result"] = false,
                ["name"] = low.GetValueOrDefault("name"),
                ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                ["comment"] = string.Concat(errors.Select(e => e + "\n")),
            };
            ret["__run_num__"] = (long)_runNum;
            _runNum++;
            return ret;
        }
        ret = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["result"] = false,
            ["name"] = low.GetValueOrDefault("name"),
            ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        };
        var isPrereq = IsTrue(low, "__prereq__");
        var test = _options.Test || isPrereq;
        var stateName = PyText.Str(low["state"]);
        var module = _states.Module(stateName);
        var ownChecks = module is IOwnRunChecks;
        var checks = new StateChecks(_options.Context);
        var parallel = false;
        try
        {
            if (!ownChecks && (low.ContainsKey("unless") || low.ContainsKey("onlyif") || low.ContainsKey("creates")))
            {
                foreach (var (k, v) in await checks.RunCheckAsync(low, cancellationToken).ConfigureAwait(false))
                {
                    ret[k] = v;
                }
            }
            if (ret.GetValueOrDefault("result") is false)
            {
                if (!isPrereq && DataTree.IsTruthy(low.GetValueOrDefault("parallel")))
                {
                    var tag = Tag(low);
                    var task = Task.Run(() => InvokeStateAsync(low, chunks, running, reqs, test, module!, cancellationToken), cancellationToken);
                    _parallel[tag] = task;
                    ret = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["name"] = low.GetValueOrDefault("name"),
                        ["result"] = null,
                        ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                        ["comment"] = "Started in a separate process",
                    };
                    parallel = true;
                }
                else
                {
                    ret = await InvokeStateAsync(low, chunks, running, reqs, test, module!, cancellationToken).ConfigureAwait(false);
                }
            }
            if (!parallel && low.ContainsKey("check_cmd") && !OwnsCheckCmd(stateName, low))
            {
                foreach (var (k, v) in await checks.RunCheckCmdAsync(low, cancellationToken).ConfigureAwait(false))
                {
                    ret[k] = v;
                }
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
                ["name"] = low.GetValueOrDefault("name"),
                ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                ["comment"] = $"An exception occurred in this state: {e.GetType().Name}: {e.Message}",
            };
        }
        if (isPrereq)
        {
            low["__prereq__"] = false;
            return ret;
        }
        ret["__sls__"] = low.GetValueOrDefault("__sls__");
        ret["__run_num__"] = (long)_runNum;
        _runNum++;
        ret["start_time"] = started.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        ret["duration"] = Math.Round(stopwatch.Elapsed.TotalMilliseconds, 3);
        ret["__id__"] = low.GetValueOrDefault("__id__");
        if (low.TryGetValue("retry", out var retryRaw) && !parallel)
        {
            var retry = RetryOptions.From(retryRaw);
            if (!_options.Test)
            {
                if (!Equals(retry.Until, ret.GetValueOrDefault("result")) && retry.Attempts > retries)
                {
                    var interval = retry.Interval;
                    if (retry.Splay > 0)
                    {
                        interval += Random.Shared.Next(0, (int)retry.Splay + 1);
                    }
                    if (interval > 0)
                    {
                        await _options.Delay(TimeSpan.FromSeconds(interval), cancellationToken).ConfigureAwait(false);
                    }
                    var retryRet = await CallAsync(low, chunks, running, cancellationToken, reqs, retries + 1).ConfigureAwait(false);
                    var orig = ret;
                    ret = retryRet;
                    var nextComment = ret.GetValueOrDefault("comment") is { } c && DataTree.IsTruthy(c) ? CommentText(c) : string.Empty;
                    ret["comment"] =
                        $"Attempt {retries}: Returned a result of \"{PyText.Str(orig.GetValueOrDefault("result"))}\", with the following comment: \"{CommentText(orig.GetValueOrDefault("comment"))}\"\n{nextComment}";
                    ret["duration"] = Math.Round(ToDouble(ret.GetValueOrDefault("duration")) + ToDouble(orig.GetValueOrDefault("duration")) + (interval * 1000), 3);
                    if (retries == 1)
                    {
                        ret["start_time"] = orig["start_time"];
                    }
                }
            }
            else
            {
                ret["comment"] = string.Join("  ", CommentText(ret.GetValueOrDefault("comment")),
                    $"The state would be retried every {retry.Interval} seconds (with a splay of up to {retry.Splay} seconds) a maximum of {retry.Attempts} times or until a result of {PyText.Str(retry.Until)} is returned");
            }
        }
        return ret;
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
    private bool OwnsCheckCmd(string stateName, Dictionary<string, object?> low) =>
        _states.Find($"{stateName}.{PyText.Str(low.GetValueOrDefault("fun"))}") is { } function
        && function.Parameters.Any(p => p.Name == "check_cmd");

    private async Task<Dictionary<string, object?>> InvokeStateAsync(
        Dictionary<string, object?> low,
        List<Dictionary<string, object?>> chunks,
        Dictionary<string, Dictionary<string, object?>> running,
        Dictionary<string, List<Dictionary<string, object?>>>? reqs,
        bool test,
        IStateModule module,
        CancellationToken cancellationToken)
    {
        var fun = PyText.Str(low["fun"]);
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        var ownChecks = module is IOwnRunChecks;
        foreach (var (key, value) in low)
        {
            if (HighDataCompiler.InternalKeywords.Contains(key) && !(ownChecks && key is "unless" or "onlyif" or "creates"))
            {
                continue;
            }
            args[key] = value;
        }
        var call = new StateCall
        {
            Name = PyText.Str(low.GetValueOrDefault("name")),
            State = PyText.Str(low["state"]),
            Function = fun,
            Sfun = low.GetValueOrDefault("sfun") as string,
            Args = args,
            Test = test,
            Context = _options.Context,
            Saltenv = low.GetValueOrDefault("saltenv") as string ?? low.GetValueOrDefault("__env__") as string ?? "base",
            Low = low,
            Running = running,
            Reqs = reqs,
            Renderer = _options.Renderer,
        };
        StateReturn result;
        if (fun == "mod_watch" && module is IWatchable watchable)
        {
            result = await watchable.ModWatchAsync(call, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var function = _states.Find($"{call.State}.{fun}")!;
            result = await function.Handler(call, cancellationToken).ConfigureAwait(false);
        }
        return result.ToDictionary();
    }

    private async Task ReconcileAsync(Dictionary<string, Dictionary<string, object?>> runDict, List<string> tags)
    {
        foreach (var tag in tags)
        {
            if (_parallel.Remove(tag, out var task) && runDict.TryGetValue(tag, out var ret))
            {
                Dictionary<string, object?> done;
                try
                {
                    done = await task.ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    done = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["result"] = false,
                        ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
                        ["comment"] = $"An exception occurred in this state: {e.Message}",
                    };
                }
                foreach (var (k, v) in done)
                {
                    ret[k] = v;
                }
            }
        }
    }

    private async Task CallListenAsync(
        List<Dictionary<string, object?>> chunks,
        Dictionary<string, Dictionary<string, object?>> running,
        CancellationToken cancellationToken)
    {
        var listeners = new List<((string State, string Id, string Name) Key, List<object?> Targets)>();
        var crefs = new List<((string State, string Id, string Name) Key, Dictionary<string, object?> Chunk)>();
        // First chunk per (state, id, name), in chunk order; the set keeps this linear (a list scan made it N^2/2).
        var crefKeys = new HashSet<(string State, string Id, string Name)>();
        foreach (var chunk in chunks)
        {
            var key = (PyText.Str(chunk["state"]), PyText.Str(chunk["__id__"]), PyText.Str(chunk["name"]));
            if (crefKeys.Add(key))
            {
                crefs.Add((key, chunk));
            }
            if (chunk.GetValueOrDefault("listen") is List<object?> listen)
            {
                listeners.Add((key, listen));
            }
            if (chunk.GetValueOrDefault("listen_in") is List<object?> listenIn)
            {
                foreach (var item in listenIn.OfType<Dictionary<string, object?>>())
                {
                    foreach (var (k, v) in item)
                    {
                        listeners.Add(((k, PyText.Str(v), "lookup"), [new Dictionary<string, object?> { [key.Item1] = key.Item2 }]));
                    }
                }
            }
        }
        static bool InCref((string State, string Id, string Name) cref, string value) => cref.State == value || cref.Id == value || cref.Name == value;
        var modWatchers = new List<Dictionary<string, object?>>();
        var errors = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var (key, targets) in listeners)
        {
            foreach (var targetObj in targets)
            {
                var listenTo = targetObj as Dictionary<string, object?>;
                if (listenTo is null)
                {
                    var wanted = PyText.Str(targetObj);
                    foreach (var chunk in chunks)
                    {
                        if (PyText.Str(chunk["__id__"]) == wanted || PyText.Str(chunk["name"]) == wanted)
                        {
                            listenTo = new Dictionary<string, object?> { [PyText.Str(chunk["state"])] = chunk["__id__"] };
                        }
                    }
                    if (listenTo is null)
                    {
                        continue;
                    }
                }
                foreach (var (lkey, lvalObj) in listenTo)
                {
                    var lval = PyText.Str(lvalObj);
                    if (!crefs.Any(c => c.Key.State == lkey && InCref(c.Key, lval)))
                    {
                        errors[ListenErrorTag(lkey, lval)] = ListenError(lkey, lval);
                        continue;
                    }
                    foreach (var (_, data) in crefs.Where(c => c.Key.State == lkey && InCref(c.Key, lval)))
                    {
                        var toTag = Tag(data);
                        if (!running.TryGetValue(toTag, out var toRet) || !DataTree.IsTruthy(toRet.GetValueOrDefault("changes")))
                        {
                            continue;
                        }
                        if (!crefs.Any(c => key.State == c.Key.State && InCref(c.Key, key.Id)))
                        {
                            errors[ListenErrorTag(key.State, key.Id)] = ListenError(key.State, key.Id);
                            continue;
                        }
                        foreach (var (_, listener) in crefs.Where(c => key.State == c.Key.State && InCref(c.Key, key.Id)))
                        {
                            var watchLow = Ordered.Copy(listener);
                            watchLow["sfun"] = listener["fun"];
                            watchLow["fun"] = "mod_watch";
                            watchLow["__id__"] = "listener_" + PyText.Str(listener["__id__"]);
                            foreach (var req in HighDataCompiler.RequisiteKeywords)
                            {
                                if (watchLow.ContainsKey(req))
                                {
                                    Ordered.Pop(watchLow, req);
                                }
                            }
                            modWatchers.Add(watchLow);
                        }
                    }
                }
            }
        }
        await CallChunksAsync(modWatchers, running, cancellationToken).ConfigureAwait(false);
        foreach (var (tag, error) in errors)
        {
            error["__run_num__"] = (long)_runNum;
            _runNum++;
            running[tag] = error;
        }
    }

    private static string ListenErrorTag(string name, string id) => $"Listen_Error_|-listen_{id}_|-listen_{name}_|-Listen_Error";

    private static Dictionary<string, object?> ListenError(string state, string id) => new(StringComparer.Ordinal)
    {
        ["comment"] = $"Referenced state {state}: {id} does not exist",
        ["name"] = $"listen_{state}:{id}",
        ["result"] = false,
        ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
    };
}
