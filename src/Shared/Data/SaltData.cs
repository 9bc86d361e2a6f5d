using System.Globalization;
using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.Data;

/// <summary>
/// Salt's <c>salt.utils.data</c> look-ups that both daemons need (the master renders pillar with them):
/// <c>traverse_dict_and_list</c> and <c>filter_by</c>. Merging is <see cref="DictUpdate"/>'s.
/// </summary>
public static class SaltData
{
    /// <summary>
    /// <c>traverse_dict_and_list</c>: walks mappings by key and lists by index (a non-numeric part picks the first mapping in
    /// the list holding that key) along the parts of a delimited path; <paramref name="default"/> when a step is missing.
    /// </summary>
    public static object? Traverse(object? data, string key, object? @default = null, string delimiter = ":")
    {
        ArgumentNullException.ThrowIfNull(key);
        return Traverse(data, key.Split(delimiter), @default);
    }

    /// <summary><see cref="Traverse(object?, string, object?, string)"/> with the path given as its parts.</summary>
    public static object? Traverse(object? data, IEnumerable<object?> parts, object? @default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var ptr = data;
        foreach (var each in parts)
        {
            switch (ptr)
            {
                case List<object?> list:
                    if (!TryIndex(each, out var idx))
                    {
                        var embedded = list.OfType<IDictionary<string, object?>>().FirstOrDefault(d => d.ContainsKey(KeyText(each)));
                        if (embedded is null)
                        {
                            return @default;
                        }
                        ptr = embedded[KeyText(each)];
                        break;
                    }
                    if (idx < 0)
                    {
                        idx += list.Count;
                    }
                    if (idx < 0 || idx >= list.Count)
                    {
                        return @default;
                    }
                    ptr = list[(int)idx];
                    break;
                case IDictionary<string, object?> dict:
                    if (!dict.TryGetValue(KeyText(each), out ptr))
                    {
                        return @default;
                    }
                    break;
                case IJinjaIndexable indexable:
                    if (!indexable.TryGetItem(each, out ptr))
                    {
                        return @default;
                    }
                    break;
                default:
                    // Python: indexing None, a number or a string with a key is a TypeError, which gives the default.
                    return @default;
            }
        }
        return ptr;
    }

    /// <summary>
    /// <c>filter_by</c>: the value of the first key of <paramref name="lookupDict"/> (a glob) matching the value at
    /// <paramref name="lookup"/> in <paramref name="traverse"/> (or one of its items when it is a list), else the
    /// <paramref name="default"/> key's; merged over the <paramref name="baseKey"/> entry, then <paramref name="merge"/> merged in.
    /// </summary>
    /// <remarks>As in Salt, the chosen entry is returned by reference and <paramref name="merge"/> is merged into it in place.</remarks>
    /// <exception cref="ArgumentException">base or merge cannot be merged (Salt's SaltException texts).</exception>
    public static object? FilterBy(
        IDictionary<string, object?> lookupDict, string lookup, object? traverse, object? merge = null, string? @default = "default", string? baseKey = null)
    {
        ArgumentNullException.ThrowIfNull(lookupDict);
        object? ret = null;
        var val = Traverse(traverse, lookup, new List<object?>());
        foreach (var each in val as List<object?> ?? [val])
        {
            var text = each as string ?? PyText.Str(each);
            foreach (var (key, value) in lookupDict)
            {
                if (FnMatch.IsMatch(text, key))
                {
                    ret = value;
                    break;
                }
            }
            if (ret is not null)
            {
                break;
            }
        }
        if (ret is null && @default is not null)
        {
            ret = lookupDict.TryGetValue(@default, out var d) ? d : null;
        }
        if (!string.IsNullOrEmpty(baseKey) && lookupDict.TryGetValue(baseKey, out var baseValues))
        {
            if (ret is null)
            {
                ret = baseValues;
            }
            else if (baseValues is IDictionary<string, object?> baseMap)
            {
                if (ret is not IDictionary<string, object?> retMap)
                {
                    throw new ArgumentException("filter_by default and look-up values must both be dictionaries.");
                }
                ret = DictUpdate.Update(DictUpdate.DeepCopy(baseMap), retMap);
            }
        }
        if (DataTree.IsTruthy(merge))
        {
            if (merge is not IDictionary<string, object?> mergeMap)
            {
                throw new ArgumentException("filter_by merge argument must be a dictionary.");
            }
            if (ret is null)
            {
                ret = merge;
            }
            else if (ret is IDictionary<string, object?> target)
            {
                DictUpdate.Update(target, DictUpdate.DeepCopy(mergeMap));
            }
        }
        return ret;
    }

    // Mapping keys are text in this data model (YAML's `1:` is "1"), so an integer part finds the key Salt finds after
    // YAML-loading the part.
    private static string KeyText(object? each) => each switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => DataTree.KeyToString(each),
    };

    // Python's int(): surrounding whitespace, a sign and single underscores between digits are allowed.
    private static bool TryIndex(object? each, out long index)
    {
        index = 0;
        switch (each)
        {
            case long l:
                index = l;
                return true;
            case int i:
                index = i;
                return true;
            case bool b:
                index = b ? 1 : 0;
                return true;
            case string s:
                var t = s.Trim();
                if (t.Contains("__", StringComparison.Ordinal) || t.StartsWith('_') || t.EndsWith('_'))
                {
                    return false;
                }
                return long.TryParse(t.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index);
            default:
                return false;
        }
    }
}
