using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Data;
using System.Diagnostics;
using System.Text;

namespace Orchestrator.Minion.StateEngine;

/// <summary>Renders the requisite graph of low chunks as Graphviz DOT (optionally coloured by a run's results) or SVG.</summary>
public static class StateGraph
{
    private static readonly string[] _kinds =
        ["require", "require_any", "watch", "watch_any", "onchanges", "onchanges_any", "onfail", "onfail_any", "onfail_all", "prereq", "prerequired", "listen", "use"];

    public static string ToDot(List<Dictionary<string, object?>> chunks, IReadOnlyDictionary<string, Dictionary<string, object?>>? results = null)
    {
        var sb = new StringBuilder("digraph states {\n  rankdir=LR;\n  node [shape=box, style=filled, fillcolor=white];\n");
        foreach (var chunk in chunks)
        {
            var tag = StateRunner.Tag(chunk);
            var color = "white";
            if (results is not null && results.TryGetValue(tag, out var ret))
            {
                var changed = ret.GetValueOrDefault("changes") is Dictionary<string, object?> { Count: > 0 };
                color = ret.GetValueOrDefault("result") switch
                {
                    false => "tomato",
                    null => "gold",
                    _ => changed ? "lightblue" : "palegreen",
                };
            }
            sb.Append("  ").Append(Quote(tag)).Append(" [label=").Append(Quote($"{chunk["__id__"]}\n{chunk["state"]}.{chunk["fun"]}"))
                .Append(", fillcolor=").Append(color).Append("];\n");
        }
        foreach (var chunk in chunks)
        {
            var tag = StateRunner.Tag(chunk);
            foreach (var kind in _kinds)
            {
                if (chunk.GetValueOrDefault(kind) is not List<object?> reqs)
                {
                    continue;
                }
                foreach (var req in reqs)
                {
                    var (key, value) = req switch
                    {
                        Dictionary<string, object?> { Count: > 0 } d => (d.Keys.First(), PyText.Str(d.Values.First())),
                        _ => ("id", PyText.Str(req)),
                    };
                    foreach (var target in chunks)
                    {
                        var matches = key == "sls"
                            ? FnMatch.IsMatch(PyText.Str(target.GetValueOrDefault("__sls__")), value)
                            : (FnMatch.IsMatch(PyText.Str(target["name"]), value) || FnMatch.IsMatch(PyText.Str(target["__id__"]), value))
                              && (key == "id" || PyText.Str(target["state"]) == key);
                        if (matches && !ReferenceEquals(target, chunk))
                        {
                            sb.Append("  ").Append(Quote(StateRunner.Tag(target))).Append(" -> ").Append(Quote(tag))
                                .Append(" [label=").Append(Quote(kind)).Append("];\n");
                        }
                    }
                }
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
