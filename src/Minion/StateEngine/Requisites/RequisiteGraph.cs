namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// The requisite graph of a compiled run, built once: every chunk as a node, every requisite reference resolved to the
/// chunks it matches (an edge per target, or a lost reference), <c>watch</c> folded into <c>require</c> for states
/// without <c>mod_watch</c> as Salt does before it checks them, and the cycles found as strongly connected components (Tarjan's depth-first topological sort) in which a
/// <c>prereq</c> points at its target's test run (so prereq/prerequired pairs are no cycle).
/// </summary>
public sealed class RequisiteGraph
{
    // By node position: all edges, the evaluated ones of a real call and of a prereq test run (no prerequired), and
    // whether check_requisite has anything to look at (a declared kind, even an empty one).
    private readonly RequisiteEdge[][] _all;
    private readonly RequisiteEdge[][] _evaluated;
    private readonly RequisiteEdge[][] _evaluatedInTestRun;
    private readonly bool[] _hasEvaluated;

    private RequisiteGraph(List<LowChunk> nodes)
    {
        Nodes = nodes;
        _all = new RequisiteEdge[nodes.Count][];
        _evaluated = new RequisiteEdge[nodes.Count][];
        _evaluatedInTestRun = new RequisiteEdge[nodes.Count][];
        _hasEvaluated = new bool[nodes.Count];
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
        var modWatch = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (!modWatch.TryGetValue(node.State, out var watchable))
            {
                watchable = hasModWatch(node.State);
                modWatch[node.State] = watchable;
            }
            if (!watchable)
            {
                FoldWatch(node.Data, RequisiteKind.Watch, RequisiteKind.Require);
                FoldWatch(node.Data, RequisiteKind.WatchAny, RequisiteKind.RequireAny);
            }
            node.Requisites = ReadRequisites(node);
            var all = node.Requisites.Select(r => new RequisiteEdge(r.Kind, r.Reference, index.Match(r.Reference))).ToArray();
            var position = node.Position;
            graph._all[position] = all;
            graph._evaluated[position] = all.Where(e => (e.Kind.IsEvaluated || e.Kind == RequisiteKind.Prerequired) && e.Reference.Value is not null).ToArray();
            graph._evaluatedInTestRun[position] = graph._evaluated[position].Where(e => e.Kind != RequisiteKind.Prerequired).ToArray();
            graph._hasEvaluated[position] = RequisiteKind.Evaluated.Any(k => node.Has(k.Name)) || node.Has(RequisiteKind.Prerequired.Name);
        }
        graph.Cycles = graph.FindCycles();
        graph.Listens = ListenResolver.Resolve(nodes);
        return graph;
    }

    /// <summary>The node's requisite references with their targets, by kind in <see cref="RequisiteKind.Edges"/> order.</summary>
    public IReadOnlyList<RequisiteEdge> EdgesOf(LowChunk node) => _all[node.Position];

    /// <summary>Whether any kind Salt's <c>check_requisite</c> looks at is declared on the node (else it is met at once).</summary>
    public bool HasEvaluatedRequisites(LowChunk node) => _hasEvaluated[node.Position];

    /// <summary>
    /// The evaluated edges of a call of <paramref name="node"/> (references with a value), by kind in Salt's order; a
    /// prereq test run leaves <c>prerequired</c> out.
    /// </summary>
    public IReadOnlyList<RequisiteEdge> EvaluatedEdges(LowChunk node) =>
        node.PrereqTestRun ? _evaluatedInTestRun[node.Position] : _evaluated[node.Position];

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

    private static List<(RequisiteKind Kind, RequisiteReference Reference)> ReadRequisites(LowChunk node)
    {
        List<(RequisiteKind, RequisiteReference)>? requisites = null;
        foreach (var kind in RequisiteKind.Edges)
        {
            if (node[kind.Name] is List<object?> { Count: > 0 } declared)
            {
                requisites ??= [];
                requisites.AddRange(RequisiteReference.Parse(declared).Select(reference => (kind, reference)));
            }
        }
        return requisites ?? _none;
    }

    private static readonly List<(RequisiteKind Kind, RequisiteReference Reference)> _none = [];

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
        // Vertices: 2p is chunk p's real run, 2p+1 its prereq test run. Edges point from what must happen first to what
        // waits for it; a prereq points at its target's test run, which waits for the target's other requisites.
        var successors = new List<int>?[Nodes.Count * 2];
        void Edge(int from, int to) => (successors[from] ??= []).Add(to);
        var tested = new HashSet<int>();
        foreach (var node in Nodes)
        {
            foreach (var edge in _evaluated[node.Position])
            {
                foreach (var target in edge.Targets)
                {
                    if (edge.Kind == RequisiteKind.Prereq)
                    {
                        Edge((target.Position * 2) + 1, node.Position * 2);
                        tested.Add(target.Position);
                    }
                    else
                    {
                        Edge(target.Position * 2, node.Position * 2);
                    }
                }
            }
        }
        foreach (var target in tested)
        {
            foreach (var edge in _evaluatedInTestRun[target].Where(e => e.Kind != RequisiteKind.Prereq))
            {
                foreach (var dependency in edge.Targets)
                {
                    Edge(dependency.Position * 2, (target * 2) + 1);
                }
            }
        }
        return StronglyConnected.Cycles(successors)
            .Select(c => (IReadOnlyList<LowChunk>)c.Select(v => v / 2).Distinct().Order().Select(p => Nodes[p]).ToList())
            .ToList();
    }
}
