namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>Tarjan's strongly connected components over vertices 0..n-1, iterative so a long chain cannot overflow the stack.</summary>
internal static class StronglyConnected
{
    /// <summary>The components of more than one vertex, and the single vertices with an edge to themselves.</summary>
    public static List<List<int>> Cycles(List<int>?[] successors)
    {
        var count = successors.Length;
        var indexOf = new int[count];
        var lowLink = new int[count];
        var onStack = new bool[count];
        Array.Fill(indexOf, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Vertex, int Child)>();
        var cycles = new List<List<int>>();
        var next = 0;
        for (var root = 0; root < count; root++)
        {
            if (indexOf[root] >= 0 || successors[root] is null)
            {
                continue;
            }
            Visit(root);
            while (work.Count > 0)
            {
                var (vertex, child) = work.Pop();
                var children = successors[vertex];
                if (children is not null && child < children.Count)
                {
                    work.Push((vertex, child + 1));
                    var w = children[child];
                    if (indexOf[w] < 0)
                    {
                        Visit(w);
                    }
                    else if (onStack[w])
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
                    var component = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component.Add(member);
                    }
                    while (member != vertex);
                    if (component.Count > 1 || children?.Contains(vertex) == true)
                    {
                        cycles.Add(component);
                    }
                }
            }
        }
        return cycles;

        void Visit(int vertex)
        {
            indexOf[vertex] = lowLink[vertex] = next++;
            stack.Push(vertex);
            onStack[vertex] = true;
            work.Push((vertex, 0));
        }
    }
}
