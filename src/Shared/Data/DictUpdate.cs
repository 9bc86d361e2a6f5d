using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Data;

/// <summary>
/// Salt's <c>salt.utils.dictupdate</c> on the canonical data model: the recursive update and the merge strategies
/// (<c>smart</c>, <c>recurse</c>, <c>aggregate</c>, <c>overwrite</c>, <c>list</c>, <c>none</c>) that <c>slsutil.merge</c>,
/// <c>defaults.merge</c>, <c>pillar.get(merge=True)</c>, <c>config.get(merge=...)</c> and <c>grains.filter_by</c> use.
/// </summary>
/// <remarks>
/// Python passes dicts by reference, and formulas rely on it (<c>{% do salt['defaults.merge'](a, b) %}</c> changes
/// <c>a</c>): <see cref="Update"/> changes <c>dest</c> in place and returns it, as Salt's does. Values other than
/// <c>Dictionary&lt;string, object?&gt;</c> and <c>List&lt;object?&gt;</c> are leaves, shared rather than copied.
/// </remarks>
public static class DictUpdate
{
    private static readonly Lazy<JinjaEnvironment> Environment = new(() => new JinjaEnvironment());

    /// <summary>
    /// <c>dictupdate.update</c>: merges <paramref name="upd"/> into <paramref name="dest"/> (in place) and returns it.
    /// Mappings on both sides merge recursively; with <paramref name="mergeLists"/>, two lists become the first with the
    /// second's new items appended; anything else is replaced.
    /// </summary>
    /// <exception cref="ArgumentException">Either side is not a mapping.</exception>
    public static Dictionary<string, object?> Update(object? dest, object? upd, bool recursiveUpdate = true, bool mergeLists = false)
    {
        if (dest is not Dictionary<string, object?> target || upd is not Dictionary<string, object?> source)
        {
            throw new ArgumentException("Cannot update using non-dict types in dictupdate.update()");
        }
        // Salt falls back to a plain dict.update when the two share no key.
        if (recursiveUpdate && !source.Keys.Any(target.ContainsKey))
        {
            recursiveUpdate = false;
        }
        foreach (var (key, value) in source.ToList())
        {
            if (!recursiveUpdate)
            {
                target[key] = value;
                continue;
            }
            var existing = target.GetValueOrDefault(key);
            if (existing is Dictionary<string, object?> left && value is Dictionary<string, object?> right)
            {
                target[key] = Update(left, right, mergeLists: mergeLists);
            }
            else if (mergeLists && existing is List<object?> leftList && value is List<object?> rightList)
            {
                var merged = (List<object?>)DeepCopy(leftList)!;
                merged.AddRange(rightList.Where(item => !Contains(merged, item)).ToList());
                target[key] = merged;
            }
            else
            {
                target[key] = value;
            }
        }
        return target;
    }

    /// <summary>
    /// <c>dictupdate.merge</c>: merges <paramref name="b"/> into <paramref name="a"/> by <paramref name="strategy"/>.
    /// <c>smart</c> is <c>aggregate</c> for a <c>yamlex</c> renderer, else <c>recurse</c>; an unknown strategy falls back
    /// to <c>recurse</c>, as Salt's does (it logs a warning).
    /// </summary>
    public static object? Merge(object? a, object? b, string strategy = "smart", string renderer = "yaml", bool mergeLists = false)
    {
        if (strategy == "smart")
        {
            strategy = renderer.Split('|')[^1] == "yamlex" || renderer.StartsWith("yamlex_", StringComparison.Ordinal) ? "aggregate" : "recurse";
        }
        return strategy switch
        {
            "list" => MergeList(a, b),
            "recurse" => MergeRecurse(a, b, mergeLists),
            "aggregate" => MergeAggregate(a, b),
            "overwrite" => MergeOverwrite(a, b, mergeLists),
            _ => MergeRecurse(a, b, false),
        };
    }

    /// <summary>Whether Salt knows <paramref name="strategy"/> (others fall back to <c>recurse</c> with a warning).</summary>
    public static bool IsKnownStrategy(string strategy) => strategy is "smart" or "list" or "recurse" or "aggregate" or "overwrite" or "none";

    /// <summary><c>merge_recurse</c>: a deep copy of <paramref name="a"/> updated recursively with <paramref name="b"/>.</summary>
    public static Dictionary<string, object?> MergeRecurse(object? a, object? b, bool mergeLists = false) =>
        Update(DeepCopy(a), b, mergeLists: mergeLists);

    /// <summary><c>merge_list</c>: keys of <paramref name="a"/> only; a key in both becomes the list <c>[a, b]</c>.</summary>
    public static Dictionary<string, object?> MergeList(object? a, object? b)
    {
        var left = a as Dictionary<string, object?> ?? throw new ArgumentException("merge strategy 'list' needs two dictionaries");
        var right = b as Dictionary<string, object?> ?? throw new ArgumentException("merge strategy 'list' needs two dictionaries");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in left)
        {
            result[key] = right.TryGetValue(key, out var other) ? new List<object?> { value, other } : value;
        }
        return result;
    }

    /// <summary>
    /// <c>merge_overwrite</c>: the keys of <paramref name="a"/> that <paramref name="b"/> also has are replaced in
    /// <paramref name="a"/> itself (Salt changes it), then the result is <see cref="MergeRecurse"/>.
    /// </summary>
    public static Dictionary<string, object?> MergeOverwrite(object? a, object? b, bool mergeLists = false)
    {
        if (a is Dictionary<string, object?> left && b is Dictionary<string, object?> right)
        {
            foreach (var (key, value) in right)
            {
                if (left.ContainsKey(key))
                {
                    left[key] = value;
                }
            }
        }
        return MergeRecurse(a, b, mergeLists);
    }

    /// <summary>
    /// <c>merge_aggregate</c> (yamlex's <c>merge_recursive</c> at level 1) on plain data: two top-level mappings merge
    /// key by key with <paramref name="b"/>'s value kept whole; otherwise each side is marked as a sequence (a scalar as a
    /// one-item list) and two sequences are joined without duplicates, while a mapping against a sequence gives
    /// <paramref name="b"/> as marked.
    /// </summary>
    public static object? MergeAggregate(object? a, object? b)
    {
        if (a is Dictionary<string, object?> left && b is Dictionary<string, object?> right)
        {
            var result = new Dictionary<string, object?>(left, StringComparer.Ordinal);
            foreach (var (key, value) in right)
            {
                result[key] = value;
            }
            return result;
        }
        if (a is Dictionary<string, object?> || b is Dictionary<string, object?>)
        {
            return b is Dictionary<string, object?> ? b : AsSequence(b);
        }
        var first = AsSequence(a);
        var joined = new List<object?>(first);
        joined.AddRange(AsSequence(b).Where(item => !Contains(first, item)));
        return joined;
    }

    private static List<object?> AsSequence(object? value) => value as List<object?> ?? [value];

    /// <summary>Python's <c>copy.deepcopy</c> of a data tree: mappings and lists are copied, leaves are shared.</summary>
    public static object? DeepCopy(object? value)
    {
        switch (value)
        {
            case Dictionary<string, object?> dict:
                var copy = new Dictionary<string, object?>(dict.Count, StringComparer.Ordinal);
                foreach (var (key, item) in dict)
                {
                    copy[key] = DeepCopy(item);
                }
                return copy;
            case List<object?> list:
                return list.Select(DeepCopy).ToList();
            default:
                return value;
        }
    }

    /// <summary>Python's <c>==</c> between two values (<c>1 == 1.0</c>, lists and dicts by content).</summary>
    public static bool PyEquals(object? a, object? b) => Py.Eq(new RenderState(Environment.Value, null), a, b);

    private static bool Contains(List<object?> list, object? item)
    {
        foreach (var existing in list)
        {
            if (PyEquals(existing, item))
            {
                return true;
            }
        }
        return false;
    }
}
