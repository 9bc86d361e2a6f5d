using System.Collections;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>Python's <c>dict_keys</c>, <c>dict_values</c> and <c>dict_items</c> views.</summary>
internal sealed class DictView : IEnumerable<object?>
{
    public DictView(IDictionary<string, object?> dict, string kind)
    {
        Dict = dict;
        Kind = kind;
    }

    public IDictionary<string, object?> Dict { get; }

    public string Kind { get; }

    public int Count => Dict.Count;

    public IEnumerator<object?> GetEnumerator()
    {
        foreach (var pair in Dict)
        {
            yield return Kind switch
            {
                "keys" => pair.Key,
                "values" => pair.Value,
                _ => PyTuple.Pair(pair.Key, pair.Value),
            };
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
