using System.Collections;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>A Python tuple: immutable, prints as <c>(1, 2)</c>, optionally with field names (namedtuple).</summary>
internal sealed class PyTuple : IReadOnlyList<object?>
{
    public PyTuple(object?[] items, string? typeName = null, string[]? fieldNames = null)
    {
        Items = items;
        TypeName = typeName;
        FieldNames = fieldNames;
    }

    public object?[] Items { get; }

    public string? TypeName { get; }

    public string[]? FieldNames { get; }

    public int Count => Items.Length;

    public object? this[int index] => Items[index];

    public static PyTuple Pair(object? a, object? b) => new([a, b]);

    public bool TryGetField(string name, out object? value)
    {
        if (FieldNames is not null)
        {
            var i = Array.IndexOf(FieldNames, name);
            if (i >= 0)
            {
                value = Items[i];
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();
}
