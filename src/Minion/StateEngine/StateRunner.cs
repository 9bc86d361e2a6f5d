using Orchestrator.Minion.StateEngine.Requisites;
using Orchestrator.Minion.StateEngine.Running;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// Runs compiled chunks over their <see cref="RequisiteGraph"/> in Salt 3006's order: chunk by chunk, each first running
/// the targets its requisites wait for (depth first), then deciding from their returns (<see cref="RequisiteEvaluator"/>)
/// whether it runs, is skipped, fails, runs <c>mod_watch</c>, or is test-run for a <c>prereq</c>. The listen phase runs
/// last. Missing targets and cycles become failed returns, never a hang.
/// </summary>
public sealed class StateRunner
{
    private readonly StateRunOptions _options;
    private readonly RunLedger _ledger = new();
    private readonly StateExecutor _executor;

    // Salt's `active`: the chunks entered since the current top-level chunk started; meeting one again that has not
    // returned is a recursive requisite (or, for a prereq target, the moment to test-run the prereq'ing state).
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private bool _failhard;

    public StateRunner(StateModuleRegistry states, StateRunOptions options)
    {
        _options = options;
        _executor = new StateExecutor(states, options, _ledger);
    }

    private Dictionary<string, Dictionary<string, object?>> Running => _ledger.Running;

    private Dictionary<string, Dictionary<string, object?>> PrereqTests => _ledger.PrereqTests;

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

    /// <summary>The requisite graph of <paramref name="chunks"/>, with the watches of states without <c>mod_watch</c> as requires.</summary>
    public RequisiteGraph GraphOf(IReadOnlyList<Dictionary<string, object?>> chunks) => RequisiteGraph.Build(chunks, _executor.HasModWatch);

    /// <summary>Runs compiled, ordered chunks, then the listeners' <c>mod_watch</c>.</summary>
    public async Task<StateRunResult> RunChunksAsync(List<Dictionary<string, object?>> chunks, CancellationToken cancellationToken)
    {
        var graph = GraphOf(chunks);
        await RunGraphAsync(graph, cancellationToken).ConfigureAwait(false);
        // As in Salt's call_high, listeners are processed even after a failhard stop.
        _failhard = false;
        var (modWatchers, errors) = ListenPhase.Plan(graph, Running);
        await RunGraphAsync(GraphOf(modWatchers), cancellationToken).ConfigureAwait(false);
        foreach (var (tag, error) in errors)
        {
            error["__run_num__"] = _ledger.TakeRunNumber();
            Running[tag] = error;
        }
        return new StateRunResult(Running, []);
    }

    /// <summary>
    /// The chunks <paramref name="selected"/> need to run: themselves and every chunk their requisites point at, in the
    /// order of <paramref name="chunks"/> (Salt's <c>state.sls_id</c> runs one ID "and handles all requisites").
    /// </summary>
    public List<Dictionary<string, object?>> WithRequisites(List<Dictionary<string, object?>> chunks, IEnumerable<Dictionary<string, object?>> selected) =>
        GraphOf(chunks).WithRequisites(selected);

    private async Task RunGraphAsync(RequisiteGraph graph, CancellationToken cancellationToken)
    {
        foreach (var node in graph.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_failhard)
            {
                break;
            }
            if (!Running.ContainsKey(node.Tag))
            {
                await RunNodeAsync(graph, node, reentered: false, depth: 0, cancellationToken).ConfigureAwait(false);
                if (IsFailhardStop(node))
                {
                    _failhard = true;
                    break;
                }
            }
            _active.Clear();
        }
        await _ledger.ReconcileAsync(Running, Running.Keys).ConfigureAwait(false);
    }

    private bool IsFailhardStop(LowChunk node)
    {
        if (_options.Test)
        {
            return false;
        }
        var failhard = node.Has("failhard") ? DataTree.IsTruthy(node["failhard"]) : _options.Failhard;
        return failhard && Running.TryGetValue(node.Tag, out var ret) && ret.GetValueOrDefault("result") is false;
    }

    /// <summary>Where a call of <paramref name="node"/> goes: its prereq test run is kept apart from the real returns.</summary>
    private Dictionary<string, Dictionary<string, object?>> ReturnsFor(LowChunk node) => node.PrereqTestRun ? PrereqTests : Running;

    /// <summary>How many nested target runs may share one thread's stack before the walk continues on a fresh one.</summary>
    private const int StackSlice = 64;

    private async Task RunNodeAsync(RequisiteGraph graph, LowChunk node, bool reentered, int depth, CancellationToken cancellationToken)
    {
        if (depth > 0 && depth % StackSlice == 0)
        {
            // A requisite chain runs depth first; states that complete synchronously would otherwise nest one stack frame
            // set per link until a long chain overflows the stack. Yielding unwinds it (the callers wait on the heap).
            await Task.Yield();
        }
        var tag = node.Tag;
        if (!node.IsPrereqTarget)
        {
            _active.Add(tag);
        }
        var status = await EvaluateAsync(graph, node).ConfigureAwait(false);
        switch (status)
        {
            case RequisiteStatus.Unmet when reentered:
                // Every target that could run has run and one is still missing: what Salt reports after its depth limit
                // (which numbers it without advancing the count).
                Running[tag] = _ledger.NotCalled(node, false, "Recursive requisite found", numbered: false);
                break;
            case RequisiteStatus.Unmet:
                await RunTargetsFirstAsync(graph, node, depth, cancellationToken).ConfigureAwait(false);
                break;
            case RequisiteStatus.Fail:
                RecordFailedRequisites(node, ReqsOf(graph, node));
                break;
            case RequisiteStatus.Change when !node.PrereqTestRun:
                Running[tag] = await _executor.CallWatchedAsync(node, ReqsOf(graph, node), cancellationToken).ConfigureAwait(false);
                break;
            case RequisiteStatus.Pre:
                var idle = _ledger.NotCalled(node, true, "No changes detected");
                Running[tag] = idle;
                PrereqTests[tag] = idle;
                break;
            case RequisiteStatus.OnFail:
                Running[tag] = _ledger.NotCalled(node, true, "State was not run because onfail req did not change", stateRan: false);
                break;
            case RequisiteStatus.OnChanges:
                Running[tag] = _ledger.NotCalled(node, true, "State was not run because none of the onchanges reqs changed", stateRan: false);
                break;
            default:
                var returns = ReturnsFor(node);
                returns[tag] = await _executor.CallAsync(node, null, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The status of <paramref name="node"/>'s requisites now, from the returns of their targets.</summary>
    private async ValueTask<RequisiteStatus> EvaluateAsync(RequisiteGraph graph, LowChunk node)
    {
        if (!graph.HasEvaluatedRequisites(node))
        {
            return RequisiteStatus.Met;
        }
        var edges = graph.EvaluatedEdges(node);
        var groups = new List<RequisiteGroup>();
        // Edges come grouped by kind; the outcomes of one kind are judged together (the _any/_all rules span references).
        for (var i = 0; i < edges.Count;)
        {
            var kind = edges[i].Kind;
            var returns = kind.Family == RequisiteFamily.Prereq ? PrereqTests : Running;
            var outcomes = new List<TargetOutcome?>();
            for (; i < edges.Count && edges[i].Kind == kind; i++)
            {
                var targets = edges[i].Targets;
                if (targets.Count == 0)
                {
                    return RequisiteStatus.Unmet;
                }
                if (_ledger.HasParallel)
                {
                    await _ledger.ReconcileAsync(returns, targets.Select(t => t.Tag)).ConfigureAwait(false);
                }
                foreach (var target in targets)
                {
                    outcomes.Add(returns.TryGetValue(target.Tag, out var ret) ? TargetOutcome.From(ret) : null);
                }
            }
            groups.Add(new RequisiteGroup(kind, outcomes));
        }
        return RequisiteEvaluator.Evaluate(groups);
    }

    /// <summary>The targets of <paramref name="node"/>'s evaluated requisites by kind name (Salt's <c>reqs</c>, handed to <c>mod_watch</c>).</summary>
    private static Dictionary<string, List<Dictionary<string, object?>>> ReqsOf(RequisiteGraph graph, LowChunk node)
    {
        var reqs = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        foreach (var edge in graph.EvaluatedEdges(node))
        {
            if (!reqs.TryGetValue(edge.Kind.Name, out var list))
            {
                list = [];
                reqs[edge.Kind.Name] = list;
            }
            list.AddRange(edge.Targets.Select(t => t.Data));
        }
        return reqs;
    }

    /// <summary>
    /// Salt's unmet branch: report targets that do not exist, else run each target that has not run (marking prereq
    /// targets for their test run), then this chunk again, or its test run when it is itself a prereq target.
    /// </summary>
    private async Task RunTargetsFirstAsync(RequisiteGraph graph, LowChunk node, int depth, CancellationToken cancellationToken)
    {
        var tag = node.Tag;
        var lost = graph.LostEdges(node).ToList();
        if (lost.Count > 0)
        {
            ReturnsFor(node)[tag] = _ledger.NotCalled(node, false, NotFoundComment(lost));
            return;
        }
        var runFirst = RequisiteKind.RunFirst(node.PrereqTestRun);
        var targets = new List<LowChunk>();
        // Edges come in Salt's requisite order, which is also the order call_chunk runs their targets in.
        foreach (var edge in graph.EvaluatedEdges(node).Where(e => runFirst.Contains(e.Kind)))
        {
            foreach (var target in edge.Targets)
            {
                if (edge.Kind == RequisiteKind.Prereq)
                {
                    target.PrereqTestRun = true;
                }
                else if (edge.Kind == RequisiteKind.Prerequired)
                {
                    target.AwaitedByPrereq = true;
                }
                targets.Add(target);
            }
        }
        foreach (var target in targets)
        {
            if (Running.ContainsKey(target.Tag))
            {
                continue;
            }
            if (_active.Contains(target.Tag))
            {
                if (target.AwaitedByPrereq)
                {
                    // The prereq'ing state is waiting for this one: test-run this one now (kept under the target's tag, as Salt does).
                    if (!PrereqTests.ContainsKey(tag))
                    {
                        node.PrereqTestRun = true;
                        PrereqTests[target.Tag] = await _executor.CallAsync(node, null, cancellationToken).ConfigureAwait(false);
                    }
                    return;
                }
                Running[tag] = _ledger.NotCalled(node, false, "Recursive requisite found");
                return;
            }
            await RunNodeAsync(graph, target, reentered: false, depth + 1, cancellationToken).ConfigureAwait(false);
            if (IsFailhardStop(target))
            {
                _failhard = true;
                return;
            }
        }
        if (node.PrereqTestRun)
        {
            var status = await EvaluateAsync(graph, node).ConfigureAwait(false);
            var test = await _executor.CallAsync(node, null, cancellationToken).ConfigureAwait(false);
            PrereqTests[tag] = test;
            if (!DataTree.IsTruthy(test.GetValueOrDefault("changes")) && status == RequisiteStatus.Change)
            {
                // A watched target changed: the state would run mod_watch, so it counts as changing.
                test["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["watch"] = "watch" };
                test["result"] = null;
            }
        }
        else
        {
            await RunNodeAsync(graph, node, reentered: true, depth, cancellationToken).ConfigureAwait(false);
        }
        if (targets.Count > 0 && IsFailhardStop(targets[^1]))
        {
            _failhard = true;
        }
    }

    private static string NotFoundComment(List<RequisiteEdge> lost)
    {
        var comment = "The following requisites were not found:\n";
        foreach (var group in lost.GroupBy(e => e.Kind))
        {
            comment += new string(' ', 19) + group.Key.Name + ":\n";
            foreach (var edge in group)
            {
                comment += new string(' ', 23) + edge.Reference.Key + ": " + edge.Reference.Text + "\n";
            }
        }
        return comment;
    }

    /// <summary>
    /// A requisite failed: a prereq target whose prereq'ing state failed shows its test run without the changes it only
    /// proposed; any other state gets "One or more requisite failed" naming the failed targets.
    /// </summary>
    private void RecordFailedRequisites(LowChunk node, Dictionary<string, List<Dictionary<string, object?>>> reqs)
    {
        var tag = node.Tag;
        if (PrereqTests.TryGetValue(tag, out var test))
        {
            if (DataTree.IsTruthy(test.GetValueOrDefault("changes")))
            {
                test["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal);
            }
            test["__run_num__"] = _ledger.TakeRunNumber();
            test["__sls__"] = node["__sls__"];
            test["__id__"] = node["__id__"];
            test["name"] = node["name"];
            Running[tag] = test;
            return;
        }
        var failed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var target in reqs.Values.SelectMany(l => l))
        {
            var targetTag = LowChunk.TagOf(target);
            var ret = PrereqTests.GetValueOrDefault(targetTag) ?? Running.GetValueOrDefault(targetTag);
            if (ret?.GetValueOrDefault("result") is false)
            {
                failed.Add($"{PyText.Str(target.GetValueOrDefault("__sls__"))}.{PyText.Str(target.GetValueOrDefault("__id__"))}");
            }
        }
        var notCalled = _ledger.NotCalled(node, false, "One or more requisite failed: " + string.Join(", ", failed));
        Running[tag] = notCalled;
        PrereqTests[tag] = notCalled;
    }
}
