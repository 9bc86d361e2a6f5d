using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Output;

/// <summary>
/// The outputter of <c>sys.doc</c>, as Salt prints docs: the returns of all minions merged, each function once, sorted,
/// as <c>fun:</c>, its docstring and a blank line; minions that did not return are left out.
/// </summary>
public sealed class DocOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options)
    {
        var docs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (DataTree.Normalize(data) is Dictionary<string, object?> byMinion)
        {
            foreach (var minionReturn in byMinion.Values)
            {
                if (minionReturn is not Dictionary<string, object?> functions)
                {
                    continue;
                }
                foreach (var (function, doc) in functions)
                {
                    if (doc is string { Length: > 0 } text)
                    {
                        docs.TryAdd(function, text);
                    }
                }
            }
        }
        return string.Concat(docs.Select(d => $"{d.Key}:\n{d.Value}\n\n")).TrimEnd();
    }
}
