using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Data;
using System.Text.RegularExpressions;

namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// Renders SLS files into one high data tree, as Salt's <c>HighState.render_state</c>/<c>render_highstate</c> do: includes
/// (relative <c>.foo</c>, globs, <c>env: sls</c>), <c>extend</c>, <c>exclude</c>, short declarations, <c>__sls__</c>/<c>__env__</c>
/// and definition order (<c>order</c> 10000, 10001... per state declaration, included files first).
/// </summary>
public sealed class HighStateBuilder
{
    private readonly ISlsSource _source;
    private readonly SlsRenderPipeline _pipeline;
    private readonly Func<string, string, SlsSourceFile, Dictionary<string, object?>> _contextFactory;
    private readonly bool _autoOrder;
    private readonly Dictionary<string, IReadOnlyList<string>> _avail = new(StringComparer.Ordinal);
    private long _iorder = 10000;

    public HighStateBuilder(
        ISlsSource source,
        SlsRenderPipeline pipeline,
        Func<string, string, SlsSourceFile, Dictionary<string, object?>>? contextFactory = null,
        bool autoOrder = true)
    {
        _source = source;
        _pipeline = pipeline;
        _contextFactory = contextFactory ?? DefaultContext;
        _autoOrder = autoOrder;
    }

    /// <summary>
    /// Template globals Salt 3006 gives every SLS (<c>salt.utils.templates.generate_sls_context</c>): <c>sls</c>,
    /// <c>saltenv</c>, <c>slspath</c> (the SLS file's directory, "" at the top), <c>sls_path</c>, <c>slsdotpath</c>,
    /// <c>slscolonpath</c>, <c>tplfile</c> (the file relative to the root), <c>tpldir</c> (its directory, "." at the top),
    /// <c>tpldot</c> and <c>tplpath</c> (the file's path on this host). No <c>env</c>: Salt no longer passes it.
    /// </summary>
    public static Dictionary<string, object?> DefaultContext(string sls, string saltenv, SlsSourceFile file)
    {
        var context = SlsTemplateContext.For(sls, file.RelativePath, file.LocalPath ?? file.RelativePath);
        context["sls"] = sls;
        context["saltenv"] = saltenv;
        return context;
    }

    /// <summary>Renders every SLS matched per environment (<c>{env: [sls globs]}</c>) into one high data tree.</summary>
    public async Task<(Dictionary<string, object?> High, List<string> Errors)> RenderHighstateAsync(
        IReadOnlyDictionary<string, List<string>> matches,
        CancellationToken cancellationToken)
    {
        var highstate = new Dictionary<string, object?>(StringComparer.Ordinal);
        var allErrors = new List<string>();
        var mods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (saltenv, states) in matches)
        {
            foreach (var slsMatch in states)
            {
                var avail = await AvailAsync(saltenv, cancellationToken).ConfigureAwait(false);
                var statefiles = avail.Where(s => FnMatch.IsMatch(s, slsMatch)).ToList();
                if (statefiles.Count == 0)
                {
                    statefiles = [slsMatch];
                }
                foreach (var sls in statefiles)
                {
                    if (mods.Contains($"{saltenv}:{sls}"))
                    {
                        continue;
                    }
                    var (state, errors) = await RenderStateAsync(sls, saltenv, mods, matches, cancellationToken).ConfigureAwait(false);
                    if (state.Count > 0)
                    {
                        MergeIncludedStates(highstate, state, errors);
                    }
                    for (var i = 0; i < errors.Count; i++)
                    {
                        if (errors[i].Contains("is not available", StringComparison.Ordinal)
                            && errors[i].Contains($"SLS {slsMatch} in saltenv", StringComparison.Ordinal))
                        {
                            errors[i] = $"No matching sls found for '{slsMatch}' in env '{saltenv}'";
                        }
                    }
                    allErrors.AddRange(errors);
                }
            }
        }
        CleanDuplicateExtends(highstate);
        return (highstate, allErrors);
    }

    private async Task<IReadOnlyList<string>> AvailAsync(string saltenv, CancellationToken cancellationToken)
    {
        if (!_avail.TryGetValue(saltenv, out var list))
        {
            list = await _source.ListAsync(saltenv, cancellationToken).ConfigureAwait(false);
            _avail[saltenv] = list;
        }
        return list;
    }

    private async Task<(Dictionary<string, object?> State, List<string> Errors)> RenderStateAsync(
        string sls,
        string saltenv,
        HashSet<string> mods,
        IReadOnlyDictionary<string, List<string>> matches,
        CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var file = await _source.GetAsync(sls, saltenv, cancellationToken).ConfigureAwait(false);
        object? rendered = null;
        if (file is null)
        {
            errors.Add($"Specified SLS {sls} in saltenv {saltenv} is not available on the salt master or through a configured fileserver");
        }
        else
        {
            try
            {
                rendered = _pipeline.Render(file.Text, file.RelativePath, _contextFactory(sls, saltenv, file));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"Rendering SLS '{saltenv}:{sls}' failed: {e.Message}");
            }
            mods.Add($"{saltenv}:{sls}");
        }
        if (rendered is null || (rendered is Dictionary<string, object?> { Count: 0 }))
        {
            return (new Dictionary<string, object?>(StringComparer.Ordinal), errors);
        }
        if (rendered is not Dictionary<string, object?> state)
        {
            errors.Add($"SLS {sls} does not render to a dictionary");
            return (new Dictionary<string, object?>(StringComparer.Ordinal), errors);
        }
        var include = new List<object?>();
        if (state.TryGetValue("include", out var inc))
        {
            if (inc is List<object?> incList)
            {
                include = incList;
                Ordered.Pop(state, "include");
            }
            else
            {
                errors.Add($"Include Declaration in SLS {sls} is not formed as a list");
            }
        }
        HandleExtend(state, sls, saltenv, errors);
        HandleExclude(state, sls, errors);
        HandleStateDecls(state, sls, saltenv, errors);
        foreach (var item in include)
        {
            string envKey;
            string incSls;
            if (item is Dictionary<string, object?> incDict && incDict.Count > 0)
            {
                envKey = incDict.Keys.First();
                incSls = PyText.Str(incDict[envKey]);
            }
            else
            {
                envKey = saltenv;
                incSls = PyText.Str(item);
            }
            if (incSls.StartsWith('.'))
            {
                var m = Regex.Match(incSls, @"^(\.+)(.*)$");
                var levels = m.Groups[1].Value.Length;
                var comps = sls.Split('.').ToList();
                if (file!.RelativePath.EndsWith("/init.sls", StringComparison.Ordinal) || file.RelativePath == "init.sls")
                {
                    comps.Add("init");
                }
                if (levels > comps.Count)
                {
                    errors.Add($"Attempted relative include of '{incSls}' within SLS '{saltenv}:{sls}' goes beyond top level package ");
                    continue;
                }
                var parts = comps.Take(comps.Count - levels).Append(m.Groups[2].Value).Where(p => p.Length > 0);
                incSls = string.Join('.', parts);
            }
            var avail = await AvailAsync(envKey, cancellationToken).ConfigureAwait(false);
            var targets = avail.Where(a => FnMatch.IsMatch(a, incSls)).ToList();
            if (targets.Count == 0)
            {
                targets = [incSls];
            }
            foreach (var target in targets)
            {
                if (mods.Contains($"{envKey}:{target}"))
                {
                    continue;
                }
                var (nstate, err) = await RenderStateAsync(target, envKey, mods, matches, cancellationToken).ConfigureAwait(false);
                if (nstate.Count > 0)
                {
                    foreach (var (id, body) in nstate)
                    {
                        if (!id.StartsWith("__", StringComparison.Ordinal) && body is Dictionary<string, object?> b)
                        {
                            if (b.GetValueOrDefault("__sls_included_from__") is not List<object?> from)
                            {
                                from = [];
                                b["__sls_included_from__"] = from;
                            }
                            from.Add(sls);
                        }
                    }
                    MergeIncludedStates(state, nstate, errors);
                }
                errors.AddRange(err);
            }
        }
        HandleIorder(state);
        return (state, errors);
    }

    private void HandleIorder(Dictionary<string, object?> state)
    {
        if (!_autoOrder)
        {
            return;
        }
        foreach (var (_, body) in state)
        {
            if (body is not Dictionary<string, object?> decls)
            {
                continue;
            }
            foreach (var (sdec, run) in decls)
            {
                if (sdec.StartsWith('_') || run is not List<object?> args)
                {
                    continue;
                }
                var found = args.Any(a => a is Dictionary<string, object?> { Count: > 0 } d && d.Keys.First() == "order");
                if (!found)
                {
                    args.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["order"] = _iorder });
                    _iorder++;
                }
            }
        }
    }

    private static void HandleStateDecls(Dictionary<string, object?> state, string sls, string saltenv, List<string> errors)
    {
        foreach (var name in state.Keys.ToList())
        {
            if (name is "__extend__" or "__exclude__")
            {
                continue;
            }
            if (state[name] is not Dictionary<string, object?> body)
            {
                if (state[name] is string shortDecl && shortDecl.Contains('.', StringComparison.Ordinal))
                {
                    var comps = shortDecl.Split('.');
                    state[name] = new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["__sls__"] = sls,
                        ["__env__"] = saltenv,
                        [comps[0]] = new List<object?> { comps[1] },
                    };
                    continue;
                }
                errors.Add($"ID {name} in SLS {sls} is not a dictionary");
                continue;
            }
            var skeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in body.Keys.ToList())
            {
                if (key.StartsWith('_'))
                {
                    continue;
                }
                if (body[key] is not List<object?> run)
                {
                    // `file.managed:` with no arguments under it: YAML null, a short declaration needing a list.
                    if (body[key] is null && key.Contains('.', StringComparison.Ordinal))
                    {
                        continue;
                    }
                    continue;
                }
                if (key.Contains('.', StringComparison.Ordinal))
                {
                    var comps = key.Split('.');
                    if (skeys.Contains(comps[0]))
                    {
                        errors.Add($"ID '{name}' in SLS '{sls}' contains multiple state declarations of the same type");
                        continue;
                    }
                    Ordered.Pop(body, key);
                    run.Add(comps[1]);
                    body[comps[0]] = run;
                    skeys.Add(comps[0]);
                    continue;
                }
                skeys.Add(key);
            }
            body.TryAdd("__sls__", sls);
            body.TryAdd("__env__", saltenv);
        }
    }

    private static void HandleExtend(Dictionary<string, object?> state, string sls, string saltenv, List<string> errors)
    {
        if (!state.ContainsKey("extend"))
        {
            return;
        }
        var ext = Ordered.Pop(state, "extend");
        if (ext is not Dictionary<string, object?> extDict)
        {
            errors.Add($"Extension value in SLS '{sls}' is not a dictionary");
            return;
        }
        foreach (var name in extDict.Keys.ToList())
        {
            if (extDict[name] is not Dictionary<string, object?> body)
            {
                errors.Add($"Extension name '{name}' in SLS '{sls}' is not a dictionary");
                continue;
            }
            body.TryAdd("__sls__", sls);
            body.TryAdd("__env__", saltenv);
            foreach (var key in body.Keys.ToList())
            {
                if (key.StartsWith('_') || body[key] is not List<object?> run)
                {
                    continue;
                }
                if (key.Contains('.', StringComparison.Ordinal))
                {
                    var comps = key.Split('.');
                    Ordered.Pop(body, key);
                    run.Add(comps[1]);
                    body[comps[0]] = run;
                }
            }
        }
        if (state.GetValueOrDefault("__extend__") is not List<object?> list)
        {
            list = [];
            state["__extend__"] = list;
        }
        list.Add(extDict);
    }

    private static void HandleExclude(Dictionary<string, object?> state, string sls, List<string> errors)
    {
        if (!state.ContainsKey("exclude"))
        {
            return;
        }
        var exc = Ordered.Pop(state, "exclude");
        if (exc is not List<object?> excList)
        {
            errors.Add($"Exclude Declaration in SLS {sls} is not formed as a list");
            return;
        }
        if (state.GetValueOrDefault("__exclude__") is not List<object?> list)
        {
            list = [];
            state["__exclude__"] = list;
        }
        list.AddRange(excList);
    }

    private static void MergeIncludedStates(Dictionary<string, object?> highstate, Dictionary<string, object?> state, List<string> errors)
    {
        foreach (var special in new[] { "__extend__", "__exclude__" })
        {
            if (state.ContainsKey(special))
            {
                var items = (List<object?>)Ordered.Pop(state, special)!;
                if (highstate.GetValueOrDefault(special) is not List<object?> list)
                {
                    list = [];
                    highstate[special] = list;
                }
                list.AddRange(items);
            }
        }
        foreach (var (id, body) in state)
        {
            if (highstate.TryGetValue(id, out var existing) && !ReferenceEquals(existing, body)
                && existing is Dictionary<string, object?> a && body is Dictionary<string, object?> b && !DataEquals(a, b))
            {
                errors.Add(
                    "Detected conflicting IDs, SLS IDs need to be globally unique.\n    The conflicting ID is "
                    + $"'{id}' and is found in SLS '{a.GetValueOrDefault("__env__")}:{a.GetValueOrDefault("__sls__")}' and SLS "
                    + $"'{b.GetValueOrDefault("__env__")}:{b.GetValueOrDefault("__sls__")}'");
            }
        }
        foreach (var (id, body) in state)
        {
            highstate[id] = body;
        }
    }

    private static bool DataEquals(object? a, object? b) => (a, b) switch
    {
        (Dictionary<string, object?> x, Dictionary<string, object?> y) =>
            x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && DataEquals(kv.Value, v)),
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => DataEquals(p.First, p.Second)),
        _ => Equals(a, b),
    };

    private static void CleanDuplicateExtends(Dictionary<string, object?> highstate)
    {
        if (highstate.GetValueOrDefault("__extend__") is not List<object?> ext)
        {
            return;
        }
        var seen = new List<KeyValuePair<string, object?>>();
        foreach (var item in ext.OfType<Dictionary<string, object?>>())
        {
            foreach (var kv in item)
            {
                if (!seen.Any(s => s.Key == kv.Key && DataEquals(s.Value, kv.Value)))
                {
                    seen.Add(kv);
                }
            }
        }
        highstate["__extend__"] = seen.Select(kv => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { [kv.Key] = kv.Value }).ToList();
    }
}
