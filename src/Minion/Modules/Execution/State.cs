using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.States;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>state</c> execution module: apply SLS or the highstate, run one state, show compiled data and graphs.</summary>
/// <remarks>
/// SLS and the top file come through <see cref="ModuleContext.Files"/>; Jinja through the <see cref="ISlsTemplateRenderer"/>
/// given here; top-file targeting through <c>topMatcher(expression, matchType)</c>. A run with a failed state sets retcode 2,
/// compile/render errors retcode 1.
/// </remarks>
[ExecutionModule("state")]
public sealed class StateModule : IExecutionModule
{
    private static readonly FunctionParameter[] _common =
    [
        FunctionParameter.Opt("test"), FunctionParameter.Opt("pillar"), FunctionParameter.Opt("saltenv"), FunctionParameter.Opt("exclude"),
        FunctionParameter.Opt("queue", false),
    ];

    private readonly StateRunGate _gate = new();

    /// <summary>Template-context key under which renderers find the <see cref="ModuleContext"/> (for <c>salt['mod.fun']</c>).</summary>
    public const string ModuleContextKey = "__module_context__";

    private readonly StateModuleRegistry _states;
    private readonly ISlsTemplateRenderer? _renderer;
    private readonly Func<ModuleContext, Func<string, string, bool>>? _topMatcher;
    private readonly Func<ModuleContext, ISlsTemplateRenderer>? _rendererFactory;

    /// <param name="states">State modules.</param>
    /// <param name="renderer">A fixed template renderer (tests).</param>
    /// <param name="topMatcher">Top-file targeting for a minion.</param>
    /// <param name="rendererFactory">Builds the renderer for one run from its context (Jinja with <c>salt</c>), else <paramref name="renderer"/>.</param>
    public StateModule(
        StateModuleRegistry states,
        ISlsTemplateRenderer? renderer = null,
        Func<ModuleContext, Func<string, string, bool>>? topMatcher = null,
        Func<ModuleContext, ISlsTemplateRenderer>? rendererFactory = null)
    {
        _states = states;
        _renderer = renderer;
        _topMatcher = topMatcher;
        _rendererFactory = rendererFactory;
    }

    /// <summary>The state modules this module runs (for <c>sys.state_doc</c> and <c>sys.list_state_modules</c>).</summary>
    public StateModuleRegistry States => _states;

    public string Doc => "Apply and inspect states: state.apply, state.sls, state.highstate, state.single, state.show_*.";

    /// <summary>The outputter of the functions that run states (Salt's <c>__outputter__</c> of the state module).</summary>
    private const string Highstate = "highstate";

    public IReadOnlyList<ModuleFunction> Functions =>
    [
        new("apply", "Applies the highstate, or the given SLS (comma list).", [FunctionParameter.Opt("mods"), .. _common], (c, t) => _gate.RunAsync(c, () => ApplyAsync(c, t), t), true, Highstate),
        new("sls", "Applies the given SLS (comma list).", [FunctionParameter.Req("mods"), .. _common], (c, t) => _gate.RunAsync(c, () => SlsAsync(c, t), t), true, Highstate),
        new("highstate", "Applies every SLS the top file assigns to this minion.", _common, (c, t) => _gate.RunAsync(c, () => HighstateAsync(c, t), t), true, Highstate),
        new("single", "Runs one state function: state.single pkg.installed name=vim.", [FunctionParameter.Req("fun"), FunctionParameter.Opt("name"), .. _common],
            (c, t) => _gate.RunAsync(c, () => SingleAsync(c, t), t), true, Highstate),
        new("sls_id", "Runs one ID of the given SLS (comma list) and the states its requisites need: state.sls_id myid mysls.",
            [FunctionParameter.Req("id"), FunctionParameter.Req("mods"), .. _common], (c, t) => _gate.RunAsync(c, () => SlsIdAsync(c, t), t), true, Highstate),
        new("test", "state.apply in test mode: reports what would change, changes nothing.", [FunctionParameter.Opt("mods"), .. _common],
            (c, t) => _gate.RunAsync(c, () => ApplyAsync(c, t, forceTest: true), t), true, Highstate),
        new("show_states", "Lists the SLS the highstate (or the given SLS) would apply, in order.", [FunctionParameter.Opt("mods"), .. _common],
            ShowStatesAsync, true),
        new("show_sls", "Shows the high data of the given SLS.", [FunctionParameter.Req("mods"), .. _common], ShowSlsAsync, true),
        new("show_highstate", "Shows the high data of the highstate.", _common, ShowHighstateAsync, true),
        new("show_lowstate", "Shows the ordered low chunks of the highstate.", _common, ShowLowstateAsync, true),
        new("show_top", "Shows which SLS the top file assigns to this minion.", _common, ShowTopAsync, true),
        new("show_graph", "Shows the requisite graph as DOT (format=svg needs Graphviz), coloured by result with run=True.",
            [FunctionParameter.Opt("mods"), FunctionParameter.Opt("format", "dot"), FunctionParameter.Opt("run", false), .. _common], ShowGraphAsync, true),
    ];

    private sealed record RunSetup(StateEngineHost Host, StateRunOptions Options, string? Saltenv, List<object?>? Exclude);

    /// <param name="show">A state.show_* call: a pillar that failed to render raises as Salt's show functions do (an error with
    /// the messages as its info), where a run reports it as its return.</param>
    private static async Task<RunSetup> SetupAsync(
        ModuleCall call, StateModule owner, CancellationToken cancellationToken, bool forceTest = false, bool show = false)
    {
        var context = call.Context;
        var saltenv = call.GetString("saltenv") ?? context.Opt("saltenv") as string;
        var overrides = call.GetMap("pillar");
        Dictionary<string, object?>? fresh = null;
        if (context.PillarSource is not null)
        {
            // Salt compiles pillar afresh for every state run.
            fresh = await context.PillarSource.GetPillarAsync(saltenv ?? "base", cancellationToken).ConfigureAwait(false);
            if (fresh.GetValueOrDefault(PillarErrors.Key) is List<object?> { Count: > 0 } pillarErrors)
            {
                // As Salt: no state runs on a pillar that failed to render, since states would see partial data.
                throw show
                    ? new ModuleException("Pillar failed to render", pillarErrors.Select(PyText.Str).ToList())
                    : new ModuleException("Pillar failed to render with the following messages:\n" + string.Join("\n", pillarErrors));
            }
        }
        if (overrides is not null || fresh is not null)
        {
            var pillar = (Dictionary<string, object?>)DictUpdate.DeepCopy(fresh ?? context.Pillar)!;
            if (overrides is not null)
            {
                PillarBuilder.Merge(pillar, overrides);
            }
            context = context.WithPillar(pillar, context.PillarSource);
        }
        return owner.Setup(call, context, saltenv, forceTest);
    }

    private RunSetup Setup(ModuleCall call, ModuleContext context, string? saltenv, bool forceTest)
    {
        // One run reads one revision of the file server: an update of gitfs mid-run does not mix two trees.
        var files = (context.Files ?? throw new ModuleException("state: no file client is configured (file_roots or a master)")).Pinned();
        context = context.WithFiles(files);
        var test = forceTest || (call.Has("test") ? call.GetBool("test") : DataTree.IsTruthy(context.Opt("test")));
        var renderer = _rendererFactory?.Invoke(context) ?? _renderer;
        var pipeline = new SlsRenderPipeline(renderer, context.Opt("renderer") as string ?? "jinja|yaml");
        var ctx = context;
        var autoOrder = context.Opt("state_auto_order") is not false;
        var host = new StateEngineHost(_states, new FileClientSlsSource(files), pipeline, autoOrder, (sls, env, file) =>
        {
            var globals = HighStateBuilder.DefaultContext(sls, env, file);
            globals["pillar"] = ctx.Pillar;
            globals["grains"] = ctx.Grains;
            globals["opts"] = ctx.Opts;
            // Not data: lets the Jinja renderer offer salt['mod.fun'](...) through ctx.Modules.
            globals[ModuleContextKey] = ctx;
            return globals;
        });
        var options = new StateRunOptions
        {
            Context = context,
            Test = test,
            Failhard = DataTree.IsTruthy(context.Opt("failhard")),
            Renderer = renderer,
        };
        var exclude = call.GetList("exclude");
        return new RunSetup(host, options, saltenv, exclude);
    }

    private static Dictionary<string, List<string>> ModsMatches(ModuleCall call, RunSetup setup)
    {
        var mods = call.GetList("mods")?.Select(PyText.Str).ToList() ?? [];
        return new Dictionary<string, List<string>>(StringComparer.Ordinal) { [setup.Saltenv ?? "base"] = mods };
    }

    private async Task<Dictionary<string, List<string>>> TopMatchesAsync(ModuleCall call, RunSetup setup, CancellationToken cancellationToken)
    {
        var envs = setup.Saltenv is not null ? [setup.Saltenv] : new List<string> { "base" };
        var matcher = _topMatcher?.Invoke(setup.Options.Context) ?? TopFile.IdMatcher(call.Context.MinionId);
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var env in envs)
        {
            var top = await setup.Host.Source.GetAsync("top", env, cancellationToken).ConfigureAwait(false);
            if (top is null)
            {
                continue;
            }
            var data = setup.Host.Pipeline.Render(top.Text, top.RelativePath, HighStateBuilder.DefaultContext("top", env, top));
            foreach (var (matchEnv, list) in TopFile.Matches(data, matcher, setup.Saltenv))
            {
                if (!result.TryGetValue(matchEnv, out var existing))
                {
                    result[matchEnv] = list;
                }
                else
                {
                    existing.AddRange(list.Where(s => !existing.Contains(s)));
                }
            }
        }
        return result;
    }

    private static object Finish(ModuleCall call, StateRunResult result)
    {
        call.Retcode = result.Retcode;
        return result.ToReturn();
    }

    private Task<object?> ApplyAsync(ModuleCall call, CancellationToken cancellationToken, bool forceTest = false) =>
        call.Has("mods") ? SlsAsync(call, cancellationToken, forceTest) : HighstateAsync(call, cancellationToken, forceTest);

    private async Task<object?> SlsAsync(ModuleCall call, CancellationToken cancellationToken, bool forceTest = false)
    {
        var setup = await SetupAsync(call, this, cancellationToken, forceTest).ConfigureAwait(false);
        var result = await setup.Host.ApplyAsync(ModsMatches(call, setup), setup.Options, cancellationToken, setup.Exclude).ConfigureAwait(false);
        return Finish(call, result);
    }

    private async Task<object?> HighstateAsync(ModuleCall call, CancellationToken cancellationToken, bool forceTest = false)
    {
        var setup = await SetupAsync(call, this, cancellationToken, forceTest).ConfigureAwait(false);
        var matches = await TopMatchesAsync(call, setup, cancellationToken).ConfigureAwait(false);
        if (matches.Count == 0)
        {
            call.Retcode = 2;
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["no_|-states_|-states_|-None"] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["result"] = false,
                    ["comment"] = "No Top file or master_tops data matches found. Please see master log for details.",
                    ["name"] = "No States",
                    ["changes"] = new Dictionary<string, object?>(),
                    ["__run_num__"] = 0L,
                },
            };
        }
        var result = await setup.Host.ApplyAsync(matches, setup.Options, cancellationToken, setup.Exclude).ConfigureAwait(false);
        return Finish(call, result);
    }

    private async Task<object?> SingleAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken).ConfigureAwait(false);
        var fun = call.RequireString("fun");
        var dot = fun.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            throw new ModuleException($"Invalid function passed: {fun}");
        }
        var name = call.GetString("name") ?? (call.ExtraArgs.Count > 0 ? PyText.Str(call.ExtraArgs[0]) : null)
            ?? throw new ModuleException("state.single: missing required argument 'name'");
        var low = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["state"] = fun[..dot],
            ["fun"] = fun[(dot + 1)..],
            ["name"] = name,
            ["__id__"] = name,
            ["__sls__"] = null,
            ["__env__"] = setup.Saltenv ?? "base",
        };
        foreach (var (key, value) in call.ExtraKwargs)
        {
            low[key] = value;
        }
        var runner = new StateRunner(_states, setup.Options);
        var result = await runner.RunChunksAsync([low], cancellationToken).ConfigureAwait(false);
        return Finish(call, result);
    }

    private async Task<object?> SlsIdAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken).ConfigureAwait(false);
        var id = call.RequireString("id");
        var (chunks, errors) = await LowAsync(call, setup, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            call.Retcode = 1;
            return errors.Cast<object?>().ToList();
        }
        var selected = chunks.Where(c => PyText.Str(c.GetValueOrDefault("__id__")) == id).ToList();
        if (selected.Count == 0)
        {
            var mods = string.Join(",", call.GetList("mods")?.Select(PyText.Str) ?? []);
            throw new ModuleException($"No matches for ID '{id}' found in SLS '{mods}' within saltenv '{setup.Saltenv ?? "base"}'");
        }
        var runner = new StateRunner(_states, setup.Options);
        var result = await runner.RunChunksAsync(runner.WithRequisites(chunks, selected), cancellationToken).ConfigureAwait(false);
        return Finish(call, result);
    }

    private async Task<object?> ShowStatesAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken, show: true).ConfigureAwait(false);
        var (chunks, errors) = await LowAsync(call, setup, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            call.Retcode = 1;
            return errors.Cast<object?>().ToList();
        }
        return chunks.Select(c => PyText.Str(c.GetValueOrDefault("__sls__"))).Distinct(StringComparer.Ordinal).Select(s => (object?)s).ToList();
    }

    private async Task<object?> ShowSlsAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken, show: true).ConfigureAwait(false);
        var (high, errors) = await setup.Host.BuildHighAsync(ModsMatches(call, setup), cancellationToken).ConfigureAwait(false);
        return ShowHigh(call, high, errors, verify: true);
    }

    /// <summary>
    /// The high data as Salt 3006 shows it: rendered, <c>extend</c> left under <c>__extend__</c> (Salt reconciles it only
    /// when it compiles the run), checked by <c>verify_high</c> for show_sls and not for show_highstate.
    /// </summary>
    private static object ShowHigh(ModuleCall call, Dictionary<string, object?> high, List<string> errors, bool verify)
    {
        if (errors.Count == 0 && verify)
        {
            errors.AddRange(HighDataCompiler.VerifyHigh(high));
        }
        if (errors.Count > 0)
        {
            call.Retcode = 1;
            return errors.Cast<object?>().ToList();
        }
        return high;
    }

    private async Task<object?> ShowHighstateAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken, show: true).ConfigureAwait(false);
        var matches = await TopMatchesAsync(call, setup, cancellationToken).ConfigureAwait(false);
        var (high, errors) = await setup.Host.BuildHighAsync(matches, cancellationToken).ConfigureAwait(false);
        return ShowHigh(call, high, errors, verify: false);
    }

    private async Task<(List<Dictionary<string, object?>> Chunks, List<string> Errors)> LowAsync(
        ModuleCall call, RunSetup setup, CancellationToken cancellationToken)
    {
        var matches = call.Has("mods") ? ModsMatches(call, setup) : await TopMatchesAsync(call, setup, cancellationToken).ConfigureAwait(false);
        var (high, errors) = await setup.Host.BuildHighAsync(matches, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return ([], errors);
        }
        return StateEngineHost.Compile(high);
    }

    private async Task<object?> ShowLowstateAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken, show: true).ConfigureAwait(false);
        var (chunks, errors) = await LowAsync(call, setup, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            call.Retcode = 1;
            return errors.Cast<object?>().ToList();
        }
        return chunks.Cast<object?>().ToList();
    }

    private async Task<object?> ShowTopAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken, show: true).ConfigureAwait(false);
        var matches = await TopMatchesAsync(call, setup, cancellationToken).ConfigureAwait(false);
        return matches.ToDictionary(kv => kv.Key, kv => (object?)kv.Value.Cast<object?>().ToList(), StringComparer.Ordinal);
    }

    private async Task<object?> ShowGraphAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var setup = await SetupAsync(call, this, cancellationToken, show: true).ConfigureAwait(false);
        var (chunks, errors) = await LowAsync(call, setup, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            call.Retcode = 1;
            return errors.Cast<object?>().ToList();
        }
        IReadOnlyDictionary<string, Dictionary<string, object?>>? results = null;
        if (call.GetBool("run"))
        {
            var copy = chunks.Select(c => (Dictionary<string, object?>)DictUpdate.DeepCopy(c)!).ToList();
            results = (await new StateRunner(_states, setup.Options).RunChunksAsync(copy, cancellationToken).ConfigureAwait(false)).States;
        }
        var dot = StateGraph.ToDot(new StateRunner(_states, setup.Options).GraphOf(chunks), results);
        return call.GetString("format") switch
        {
            null or "dot" => dot,
            "svg" => await StateGraph.ToSvgAsync(dot, cancellationToken).ConfigureAwait(false),
            var other => throw new ModuleException($"state.show_graph: unknown format '{other}' (use dot or svg)"),
        };
    }
}
