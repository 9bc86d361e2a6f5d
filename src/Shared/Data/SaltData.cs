using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.Data;

/// <summary>Salt's <c>salt.utils.data</c> look-ups on the canonical data model: <c>traverse_dict_and_list</c> and <c>filter_by</c>.</summary>
public static class SaltData
{
    /// <summary>
    /// <c>traverse_dict_and_list</c>: follows <paramref name="key"/> split on <paramref name="delimiter"/> through mappings
    /// and lists (a number indexes a list; another word looks into the list's mappings, the first that has it) and returns
    /// what is there, which may be <c>null</c>, or <paramref name="default"/> when the path does not exist.
    /// </summary>
    public static object? TraverseDictAndList(object? data, string key, object? @default = null, string delimiter = ":")
    {
        var pointer = data;
        foreach (var part in delimiter.Length == 0 ? [key] : key.Split(delimiter))
        {
            switch (pointer)
            {
                case List<object?> list:
                    if (int.TryParse(part, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowLeadingWhite
                        | System.Globalization.NumberStyles.AllowTrailingWhite, System.Globalization.CultureInfo.InvariantCulture, out var index))
                    {
                        // Python indexes from the end with a negative number.
                        var at = index < 0 ? list.Count + index : index;
                        if (at < 0 || at >= list.Count)
                        {
                            return @default;
                        }
                        pointer = list[at];
                        break;
                    }
                    var embedded = list.OfType<Dictionary<string, object?>>().FirstOrDefault(d => d.ContainsKey(part));
                    if (embedded is null)
                    {
                        return @default;
                    }
                    pointer = embedded[part];
                    break;
                case Dictionary<string, object?> dict when dict.TryGetValue(part, out var next):
                    pointer = next;
                    break;
                default:
                    return @default;
            }
        }
        return pointer;
    }

    /// <summary>
    /// <c>filter_by</c>: picks the entry of <paramref name="lookupDict"/> whose key (a glob, matched case-sensitively)
    /// matches the value at <paramref name="lookup"/> in <paramref name="traverse"/> (for a list value, its first item that
    /// matches any key), else the <paramref name="default"/> entry; merges it over the <paramref name="base"/> entry and
    /// <paramref name="merge"/> over it.
    /// </summary>
    /// <remarks>As in Salt, the chosen entry is returned by reference and <paramref name="merge"/> is merged into it in place.</remarks>
    /// <exception cref="ArgumentException">Salt's <c>SaltException</c>: <paramref name="merge"/> is not a mapping, or the base
    /// entry is a mapping and the chosen one is not.</exception>
    public static object? FilterBy(
        Dictionary<string, object?> lookupDict, string lookup, object? traverse, object? merge = null, string? @default = "default", string? @base = null)
    {
        object? ret = null;
        var value = TraverseDictAndList(traverse, lookup, new List<object?>());
        foreach (var each in value as List<object?> ?? [value])
        {
            var text = PyText.Str(each);
            foreach (var (key, entry) in lookupDict)
            {
                if (FnMatch.IsMatch(text, key))
                {
                    ret = entry;
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
            ret = lookupDict.GetValueOrDefault(@default);
        }
        if (!string.IsNullOrEmpty(@base) && lookupDict.TryGetValue(@base, out var baseValues))
        {
            if (ret is null)
            {
                ret = baseValues;
            }
            else if (baseValues is Dictionary<string, object?>)
            {
                if (ret is not Dictionary<string, object?>)
                {
                    throw new ArgumentException("filter_by default and look-up values must both be dictionaries.");
                }
                ret = DictUpdate.Update(DictUpdate.DeepCopy(baseValues), ret);
            }
        }
        if (DataTree.IsTruthy(merge))
        {
            if (merge is not Dictionary<string, object?>)
            {
                throw new ArgumentException("filter_by merge argument must be a dictionary.");
            }
            ret = ret is null ? merge : DictUpdate.Update(ret, DictUpdate.DeepCopy(merge));
        }
        return ret;
    }
}
