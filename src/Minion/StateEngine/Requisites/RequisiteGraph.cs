namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// The requisite graph of a compiled run, built once: every chunk as a node, every requisite reference resolved to the
/// chunks it matches (an edge per target, or a lost reference), <c>watch</c> folded into <c>require</c> for states
/// without <c>mod_watch</c> as Salt does before it checks them, and the cycles found as strongly connected components (Tarjan's depth-first topological sort) in which a
/// <c>prereq</c> points at its target's test run (so prereq/prerequired pairs are no cycle).
/// </summary>
public sealed class RequisiteGraph
{
    private readonly Dictionary<LowChunk, List<RequisiteEdge>> _edges = new(ReferenceEqualityComparer.Instance);

    private RequisiteGraph(List<LowChunk> nodes)
    {
        Nodes = nodes;
    }

    /// <summary>The chunks in run order.</summary>
    public IReadOnlyList<LowChunk> Nodes { get; }

    /// <summary>The <c>listen</c>/<c>listen_in</c> references, resolved in Salt's order.</summary>
    public IReadOnlyList<ListenLink> Listens { get; private set; } = [];

    /// <summary>The chunks on a requisite cycle (Tarjan's strongly connected components of more than one node, or a self loop).</summary>
    public IReadOnlyList<IReadOnlyList<LowChunk>> Cycles { get; private set; } = [];

    /// <summary>
    /// Builds the graph of <paramref name="chunks"/> (in run order). <paramref name="hasModWatch"/> tells, for a state
    /// module name, whether it has <c>mod_watch</c>; the watches of one without it become requires in the chunk itself.
    /// </summary>
    public static RequisiteGraph Build(IReadOnlyList<Dictionary<string, object?>> chunks, Func<string, bool> hasModWatch)
    {
        var nodes = new List<LowChunk>(chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            nodes.Add(new LowChunk(chunks[i], i));
        }
        var graph = new RequisiteGraph(nodes);
        var index = new ChunkIndex(nodes);
        foreach (var node in nodes)
        {
            if (!hasModWatch(node.State))
            {
                FoldWatch(node.Data, RequisiteKind.Watch, RequisiteKind.Require);
                FoldWatch(node.Data, RequisiteKind.WatchAny, RequisiteKind.RequireAny);
            }
            node.Requisites = RequisiteKind.Edges
                .SelectMany(kind => RequisiteReference.Parse(node[kind.Name]).Select(reference => (kind, reference)))
                .ToList();
            graph._edges[node] = node.Requisites.Select(r => new RequisiteEdge(r.Kind, r.Reference, index.Match(r.Reference))).ToList();
        }
        graph.Cycles = graph.FindCycles();
        graph.Listens = ListenResolver.Resolve(nodes);
        return graph;
    }

    /// <summary>The node's requisite references with their targets, by kind in <see cref="RequisiteKind.Edges"/> order.</summary>
    public IReadOnlyList<RequisiteEdge> EdgesOf(LowChunk node) => _edges.GetValueOrDefault(node) ?? [];

    /// <summary>Whether any kind Salt's <c>check_requisite</c> looks at is declared on the node (else it is met at once).</summary>
    public bool HasEvaluatedRequisites(LowChunk node) =>
        RequisiteKind.Evaluated.Any(k => node.Has(k.Name)) || node.Has(RequisiteKind.Prerequired.Name);

    /// <summary>The kinds evaluated for a call of <paramref name="node"/>: a prereq test run leaves <c>prerequired</c> out.</summary>
    public static IEnumerable<RequisiteKind> KindsFor(LowChunk node) =>
        node.PrereqTestRun ? RequisiteKind.Evaluated : RequisiteKind.Evaluated.Append(RequisiteKind.Prerequired);

    /// <summary>The evaluated edges of a call of <paramref name="node"/>, with the references that carry a value.</summary>
    public IEnumerable<RequisiteEdge> EvaluatedEdges(LowChunk node) =>
        EdgesOf(node).Where(e => (e.Kind.IsEvaluated || (e.Kind == RequisiteKind.Prerequired && !node.PrereqTestRun)) && e.Reference.Value is not null);

    /// <summary>The references of a call of <paramref name="node"/> that match no chunk.</summary>
    public IEnumerable<RequisiteEdge> LostEdges(LowChunk node) => EvaluatedEdges(node).Where(e => e.Targets.Count == 0);

    /// <summary>
    /// The chunks <paramref name="selected"/> need to run: themselves and, transitively, every chunk their requisites
    /// point at, in run order (Salt's <c>state.sls_id</c> runs one ID "and handles all requisites").
    /// </summary>
    public List<Dictionary<string, object?>> WithRequisites(IEnumerable<Dictionary<string, object?>> selected)
    {
        var wanted = new HashSet<Dictionary<string, object?>>(selected, ReferenceEqualityComparer.Instance);
        var needed = new HashSet<LowChunk>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<LowChunk>(Nodes.Where(n => wanted.Contains(n.Data)));
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!needed.Add(node))
            {
                continue;
            }
            foreach (var edge in EdgesOf(node).Where(e => e.Kind.IsEvaluated))
            {
                foreach (var target in edge.Targets)
                {
                    pending.Push(target);
                }
            }
        }
        return Nodes.Where(needed.Contains).Select(n => n.Data).ToList();
    }

    private static void FoldWatch(Dictionary<string, object?> low, RequisiteKind watch, RequisiteKind require)
    {
        if (!low.ContainsKey(watch.Name))
        {
            return;
        }
        var items = Ordered.Pop(low, watch.Name) as List<object?> ?? [];
        if (low.GetValueOrDefault(require.Name) is List<object?> existing)
        {
            existing.AddRange(items);
        }
        else
        {
            low[require.Name] = items;
        }
    }

    private List<IReadOnlyList<LowChunk>> FindCycles()
    {
        // Vertices: every chunk (its real run) and, for each prereq target, its test run. Edges point from what must
        // happen first to what waits for it.
        var successors = new Dictionary<(LowChunk Node, bool Test), List<(LowChunk, bool)>>();
        void Edge((LowChunk, bool) from, (LowChunk, bool) to)
        {
            if (!successors.TryGetValue(from, out var list))
            {
                list = [];
                successors[from] = list;
            }
            list.Add(to);
        }
        var tested = new HashSet<LowChunk>(ReferenceEqualityComparer.Instance);
        foreach (var node in Nodes)
        {
            foreach (var edge in EdgesOf(node).Where(e => e.Kind.IsEvaluated || e.Kind == RequisiteKind.Prerequired))
            {
                foreach (var target in edge.Targets)
                {
                    if (edge.Kind == RequisiteKind.Prereq)
                    {
                        Edge((target, true), (node, false));
                        tested.Add(target);
                    }
                    else
                    {
                        Edge((target, false), (node, false));
                    }
                }
            }
        }
        foreach (var target in tested)
        {
            foreach (var edge in EdgesOf(target).Where(e => e.Kind.IsEvaluated && e.Kind != RequisiteKind.Prereq))
            {
                foreach (var dependency in edge.Targets)
                {
                    Edge((dependency, false), (target, true));
                }
            }
        }
        return StronglyConnected.Components(successors)
            .Where(c => c.Count > 1 || (successors.TryGetValue(c[0], out var s) && s.Contains(c[0])))
            .Select(c => (IReadOnlyList<LowChunk>)c.Select(v => v.Node).Distinct().OrderBy(n => n.Position).ToList())
            .ToList();
    }
}
