using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Beacons;

/// <summary>Copies and comparisons of beacon configuration trees.</summary>
internal static class BeaconData
{
    public static object? Copy(object? value) => value switch
    {
        Dictionary<string, object?> map => CopyMap(map),
        List<object?> list => list.Select(Copy).ToList(),
        _ => value,
    };

    public static Dictionary<string, object?> CopyMap(IReadOnlyDictionary<string, object?> map)
    {
        var copy = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
        foreach (var (key, item) in map)
        {
            copy[key] = Copy(item);
        }
        return copy;
    }

    public static bool DeepEquals(object? a, object? b) => DataTree.ToJson(a, indent: false) == DataTree.ToJson(b, indent: false);

    /// <summary>One beacon's configuration flattened as Salt's <c>list_to_dict</c> does (the older dict form as it is).</summary>
    public static Dictionary<string, object?> Flatten(object? config)
    {
        var flat = new Dictionary<string, object?>(StringComparer.Ordinal);
        switch (config)
        {
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    flat[key] = value;
                }
                break;
            case List<object?> list:
                foreach (var item in list.OfType<Dictionary<string, object?>>())
                {
                    foreach (var (key, value) in item)
                    {
                        flat[key] = value;
                    }
                }
                break;
        }
        return flat;
    }
}
