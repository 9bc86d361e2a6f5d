using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// One fstab line as Salt's <c>_fstab_entry</c> sees it: parsing, formatting and matching on a subset of its fields.
/// </summary>
internal sealed class FstabEntry
{
    /// <summary>The keys of a line, in column order.</summary>
    public static readonly string[] Keys = ["device", "name", "fstype", "opts", "dump", "pass_num"];

    /// <summary>The keys <c>mount.fstab</c> reports (Salt keeps <c>pass</c> there for compatibility).</summary>
    public static readonly string[] CompatibilityKeys = ["device", "name", "fstype", "opts", "dump", "pass"];

    /// <summary>The fields this entry filters on; values are Python <c>str()</c> of what was given, null values dropped.</summary>
    public Dictionary<string, string> Criteria { get; }

    public FstabEntry(IEnumerable<KeyValuePair<string, object?>> criteria)
    {
        Criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in criteria)
        {
            if (value is not null)
            {
                Criteria[key] = PyText.Str(value);
            }
        }
    }

    /// <summary>The fields of a line, or null for a comment or a line with fewer than 4 or more than 6 fields (kept as it is).</summary>
    public static Dictionary<string, string>? Parse(string line, string[]? keys = null)
    {
        keys ??= Keys;
        if (line.StartsWith('#'))
        {
            return null;
        }
        var comps = PySplit(line);
        if (comps.Length is < 4 or > 6)
        {
            return null;
        }
        var entry = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            entry[keys[i]] = i < comps.Length ? comps[i] : "0";
        }
        return entry;
    }

    /// <summary>An entry with just <paramref name="keys"/>; null when one of them is not a field of this entry.</summary>
    public FstabEntry? Pick(IEnumerable<string> keys)
    {
        var subset = new List<KeyValuePair<string, object?>>();
        foreach (var key in keys)
        {
            if (!Criteria.TryGetValue(key, out var value))
            {
                return null;
            }
            subset.Add(new(key, value));
        }
        return new FstabEntry(subset);
    }

    /// <summary>True when the line is an entry whose fields equal every criterion (options compared as sorted sets of words).</summary>
    public bool Matches(string line)
    {
        var entry = Parse(line);
        if (entry is null)
        {
            return false;
        }
        foreach (var (key, value) in Criteria)
        {
            if (key == "opts")
            {
                var existing = entry.GetValueOrDefault(key, string.Empty).Split(',').Order(StringComparer.Ordinal);
                if (!existing.SequenceEqual(value.Split(',').Order(StringComparer.Ordinal)))
                {
                    return false;
                }
            }
            else if (entry.GetValueOrDefault(key) != value)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The line Salt writes for a full entry.</summary>
    public override string ToString() =>
        $"{Criteria["device"]}\t\t{Criteria["name"]}\t{Criteria["fstype"]}\t{Criteria["opts"]}\t{Criteria["dump"]} {Criteria["pass_num"]}\n";

    /// <summary>Python's <c>str.split()</c>: runs of whitespace separate, leading and trailing whitespace ignored.</summary>
    public static string[] PySplit(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

}
