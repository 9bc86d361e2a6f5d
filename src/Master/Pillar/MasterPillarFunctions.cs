using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Master.Pillar;

/// <summary>
/// The <c>salt</c> variable of pillar SLS rendered on the master. Salt runs these calls master-side with the minion's
/// grains; this master has no execution modules, so it offers the data functions pillar trees call: <c>grains.get</c>,
/// <c>grains.item</c>, <c>grains.items</c>, <c>grains.filter_by</c>, <c>pillar.get</c> (the pillar compiled so far),
/// <c>pillar.item</c>, <c>pillar.items</c>, <c>config.get</c> (master opts, grains, pillar), <c>test.ping</c>,
/// <c>test.true</c>, <c>test.false</c>. Any other name is undefined, so <c>salt['x.y'] is defined</c> and
/// <c>salt['x.y']|default(none)</c> work as in Salt when a function is missing.
/// </summary>
public sealed class MasterPillarFunctions(
    Dictionary<string, object?> grains, Dictionary<string, object?> pillar, IReadOnlyDictionary<string, object?> opts) : IJinjaIndexable
{
    /// <summary>The function names offered, sorted.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "config.get", "grains.filter_by", "grains.get", "grains.item", "grains.items", "pillar.get", "pillar.item", "pillar.items",
        "test.false", "test.ping", "test.true",
    ];

    public bool TryGetItem(object? key, out object? value)
    {
        value = key switch
        {
            "grains.get" => (JinjaCallable)((a, k) => SaltData.Traverse(grains, Str(a, k, 0, "key"), Arg(a, k, 1, "default", string.Empty), Str(a, k, 2, "delimiter", ":"))),
            "grains.item" => (JinjaCallable)((a, k) => Items(grains, a)),
            "grains.items" => (JinjaCallable)((a, k) => DictUpdate.DeepCopy(grains)),
            "grains.filter_by" => (JinjaCallable)((a, k) => FilterBy(a, k)),
            "pillar.get" => (JinjaCallable)((a, k) => PillarGet(a, k)),
            "pillar.item" => (JinjaCallable)((a, k) => Items(pillar, a)),
            "pillar.items" => (JinjaCallable)((a, k) => DictUpdate.DeepCopy(pillar)),
            "config.get" => (JinjaCallable)((a, k) => ConfigGet(a, k)),
            "test.ping" or "test.true" => (JinjaCallable)((a, k) => true),
            "test.false" => (JinjaCallable)((a, k) => false),
            _ => null,
        };
        return value is not null;
    }

    private object? FilterBy(IReadOnlyList<object?> a, IReadOnlyDictionary<string, object?> k)
    {
        if (Arg(a, k, 0, "lookup_dict") is not IDictionary<string, object?> lookup)
        {
            throw new ArgumentException("filter_by lookup_dict must be a dictionary.");
        }
        return SaltData.FilterBy(
            lookup, Str(a, k, 1, "grain", "os_family"), grains, Arg(a, k, 2, "merge"), Arg(a, k, 3, "default", "default") as string,
            Arg(a, k, 4, "base") as string);
    }

    // Salt's pillar.get: with merge, a mapping (or list) default is merged with what the pillar has there.
    private object? PillarGet(IReadOnlyList<object?> a, IReadOnlyDictionary<string, object?> k)
    {
        var key = Str(a, k, 0, "key");
        var def = Arg(a, k, 1, "default", string.Empty);
        var delimiter = Str(a, k, 4, "delimiter", ":");
        if (DataTree.IsTruthy(Arg(a, k, 2, "merge", false)))
        {
            var found = SaltData.Traverse(pillar, key, null, delimiter);
            if (def is IDictionary<string, object?> defMap && found is IDictionary<string, object?> foundMap)
            {
                return DictUpdate.Update(DictUpdate.DeepCopy(defMap), foundMap, mergeLists: DataTree.IsTruthy(Arg(a, k, 3, "merge_nested_lists", false)));
            }
            if (def is List<object?> defList && found is List<object?> foundList)
            {
                var merged = (List<object?>)DictUpdate.DeepCopy(defList)!;
                merged.AddRange(foundList.Where(x => !merged.Any(m => DictUpdate.PyEquals(m, x))));
                return merged;
            }
        }
        return SaltData.Traverse(pillar, key, def, delimiter);
    }

    private object? ConfigGet(IReadOnlyList<object?> a, IReadOnlyDictionary<string, object?> k)
    {
        var key = Str(a, k, 0, "key");
        var def = Arg(a, k, 1, "default", string.Empty);
        var delimiter = Str(a, k, 3, "delimiter", ":");
        var missing = new object();
        foreach (var source in new object?[] { opts, grains, pillar, pillar.GetValueOrDefault("master") })
        {
            var found = SaltData.Traverse(source, key, missing, delimiter);
            if (!ReferenceEquals(found, missing))
            {
                return found;
            }
        }
        return def;
    }

    private static Dictionary<string, object?> Items(Dictionary<string, object?> tree, IReadOnlyList<object?> keys)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in keys.Select(PyText.Str))
        {
            result[key] = SaltData.Traverse(tree, key, string.Empty);
        }
        return result;
    }

    private static object? Arg(IReadOnlyList<object?> a, IReadOnlyDictionary<string, object?> k, int index, string name, object? def = null) =>
        index < a.Count ? a[index] : k.TryGetValue(name, out var v) ? v : def;

    private static string Str(IReadOnlyList<object?> a, IReadOnlyDictionary<string, object?> k, int index, string name, string? def = null) =>
        Arg(a, k, index, name, def) is { } v ? PyText.Str(v) : throw new ArgumentException($"{name} is required");
}
