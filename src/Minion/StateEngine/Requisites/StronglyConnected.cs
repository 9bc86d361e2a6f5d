namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>Tarjan's strongly connected components, iterative so a long requisite chain cannot overflow the stack.</summary>
internal static class StronglyConnected
{
    public static List<List<(LowChunk Node, bool Test)>> Components(Dictionary<(LowChunk Node, bool Test), List<(LowChunk, bool)>> successors)
    {
        var indexOf = new Dictionary<(LowChunk, bool), int>();
        var lowLink = new Dictionary<(LowChunk, bool), int>();
        var onStack = new HashSet<(LowChunk, bool)>();
        var stack = new Stack<(LowChunk, bool)>();
        var components = new List<List<(LowChunk Node, bool Test)>>();
        var next = 0;
        foreach (var root in successors.Keys.ToList())
        {
            if (indexOf.ContainsKey(root))
            {
                continue;
            }
            var work = new Stack<((LowChunk, bool) Vertex, int Child)>();
            work.Push((root, 0));
            indexOf[root] = lowLink[root] = next++;
            stack.Push(root);
            onStack.Add(root);
            while (work.Count > 0)
            {
                var (vertex, child) = work.Pop();
                var children = successors.GetValueOrDefault(vertex) ?? [];
                if (child < children.Count)
                {
                    work.Push((vertex, child + 1));
                    var w = children[child];
                    if (!indexOf.ContainsKey(w))
                    {
                        indexOf[w] = lowLink[w] = next++;
                        stack.Push(w);
                        onStack.Add(w);
                        work.Push((w, 0));
                    }
                    else if (onStack.Contains(w))
                    {
                        lowLink[vertex] = Math.Min(lowLink[vertex], indexOf[w]);
                    }
                    continue;
                }
                if (work.Count > 0)
                {
                    var parent = work.Peek().Vertex;
                    lowLink[parent] = Math.Min(lowLink[parent], lowLink[vertex]);
                }
                if (lowLink[vertex] == indexOf[vertex])
                {
                    var component = new List<(LowChunk, bool)>();
                    (LowChunk, bool) member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (!member.Equals(vertex));
                    components.Add(component);
                }
            }
        }
        return components;
    }
}
