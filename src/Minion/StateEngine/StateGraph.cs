using Orchestrator.Minion.StateEngine.Requisites;
using System.Diagnostics;
using System.Text;

namespace Orchestrator.Minion.StateEngine;

/// <summary>Renders the requisite graph of low chunks as Graphviz DOT (optionally coloured by a run's results) or SVG.</summary>
public static class StateGraph
{
    /// <summary>
    /// The DOT text of <paramref name="graph"/>: a box per chunk (coloured by <paramref name="results"/> when given), an
    /// arrow from each requisite target to the state that declares it, labelled with the kind; arrows on a cycle are red.
    /// </summary>
    public static string ToDot(RequisiteGraph graph, IReadOnlyDictionary<string, Dictionary<string, object?>>? results = null)
    {
        var sb = new StringBuilder("digraph states {\n  rankdir=LR;\n  node [shape=box, style=filled, fillcolor=white];\n");
        foreach (var node in graph.Nodes)
        {
            var color = "white";
            if (results is not null && results.TryGetValue(node.Tag, out var ret))
            {
                var changed = ret.GetValueOrDefault("changes") is Dictionary<string, object?> { Count: > 0 };
                color = ret.GetValueOrDefault("result") switch
                {
                    false => "tomato",
                    null => "gold",
                    _ => changed ? "lightblue" : "palegreen",
                };
            }
            sb.Append("  ").Append(Quote(node.Tag)).Append(" [label=").Append(Quote($"{node.Id}\n{node.State}.{node.Function}"))
                .Append(", fillcolor=").Append(color).Append("];\n");
        }
        var cycleOf = new Dictionary<LowChunk, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < graph.Cycles.Count; i++)
        {
            foreach (var member in graph.Cycles[i])
            {
                cycleOf[member] = i;
            }
        }
        foreach (var node in graph.Nodes)
        {
            foreach (var edge in graph.EdgesOf(node))
            {
                foreach (var target in edge.Targets.Where(t => !ReferenceEquals(t, node)))
                {
                    var onCycle = cycleOf.TryGetValue(node, out var a) && cycleOf.TryGetValue(target, out var b) && a == b;
                    sb.Append("  ").Append(Quote(target.Tag)).Append(" -> ").Append(Quote(node.Tag))
                        .Append(" [label=").Append(Quote(edge.Kind.Name)).Append(onCycle ? ", color=red" : string.Empty).Append("];\n");
                }
            }
        }
        foreach (var link in graph.Listens.Where(l => l.Watched is not null))
        {
            foreach (var listener in link.Listeners)
            {
                sb.Append("  ").Append(Quote(link.Watched!.Tag)).Append(" -> ").Append(Quote(listener.Tag)).Append(" [label=\"listen\", style=dashed];\n");
            }
        }
        return sb.Append("}\n").ToString();
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    /// <summary>Converts DOT to SVG with Graphviz's <c>dot</c>; throws when it is not installed.</summary>
    public static async Task<string> ToSvgAsync(string dot, CancellationToken cancellationToken)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(p => Path.Combine(p, "dot")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("format=svg needs Graphviz 'dot' on the PATH; use format=dot to get the DOT text");
        var psi = new ProcessStartInfo(path, "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        await process.StandardInput.WriteAsync(dot).ConfigureAwait(false);
        process.StandardInput.Close();
        var svg = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return svg;
    }
}
