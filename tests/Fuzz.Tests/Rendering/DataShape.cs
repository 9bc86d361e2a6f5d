using System.Runtime.CompilerServices;
using Orchestrator.Fuzz.Tests.Harness;

namespace Orchestrator.Fuzz.Tests.Rendering;

/// <summary>
/// Checks that a loaded value is a tree every consumer can walk: no cycles (a serializer would recurse forever) and no
/// shared subtrees expanding to far more nodes than the text holds (an alias bomb inflated by JSON or MessagePack).
/// </summary>
public static class DataShape
{
    /// <summary>The most nodes a walk that expands shared subtrees may visit for one document.</summary>
    public const long MaxExpandedNodes = 2_000_000;

    /// <summary>Throws <see cref="FuzzFinding"/> when <paramref name="value"/> is cyclic or expands past <see cref="MaxExpandedNodes"/>.</summary>
    public static void Check(object? value)
    {
        var budget = MaxExpandedNodes;
        Walk(value, new HashSet<object>(ReferenceEqualityComparer.Instance), ref budget, 0);
    }

    private static void Walk(object? value, HashSet<object> path, ref long budget, int depth)
    {
        if (--budget < 0)
        {
            throw new FuzzFinding($"the value expands to more than {MaxExpandedNodes} nodes");
        }
        if (depth > 10_000 || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new FuzzFinding("the value nests deeper than any consumer can walk");
        }
        IEnumerable<object?>? children = value switch
        {
            Dictionary<string, object?> map => map.Values,
            List<object?> list => list,
            _ => null,
        };
        if (children is null)
        {
            return;
        }
        if (!path.Add(value!))
        {
            throw new FuzzFinding("the value contains itself (a cycle)");
        }
        foreach (var child in children)
        {
            Walk(child, path, ref budget, depth + 1);
        }
        path.Remove(value!);
    }
}
