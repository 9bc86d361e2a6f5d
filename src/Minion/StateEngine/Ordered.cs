namespace Orchestrator.Minion.StateEngine;

/// <summary>Insertion-order-preserving edits on <see cref="Dictionary{TKey,TValue}"/> (a removal must not leave a hole that a later add fills).</summary>
internal static class Ordered
{
    /// <summary>Removes a key (Python <c>dict.pop</c>): later additions go to the end.</summary>
    public static object? Pop(Dictionary<string, object?> dict, string key)
    {
        if (!dict.TryGetValue(key, out var value))
        {
            return null;
        }
        var rest = dict.Where(kv => kv.Key != key).ToList();
        dict.Clear();
        foreach (var (k, v) in rest)
        {
            dict[k] = v;
        }
        return value;
    }

    public static Dictionary<string, object?> Copy(Dictionary<string, object?> source) => new(source, StringComparer.Ordinal);

    /// <summary>The single key of a one-key mapping (Salt's <c>next(iter(d))</c>).</summary>
    public static string FirstKey(Dictionary<string, object?> dict) => dict.Keys.First();
}
