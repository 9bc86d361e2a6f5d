using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Beacons;

/// <summary>
/// One configured beacon's own settings, flattened from Salt's list-of-dicts form (or the older plain dict) in the order they
/// were written, without the keys the beacon framework handles (<c>interval</c>, <c>enabled</c>, <c>beacon_module</c>...).
/// </summary>
/// <remarks>Every reader throws <see cref="BeaconConfigException"/> naming the beacon and the key path (<c>services:nginx:delay</c>).</remarks>
public sealed class BeaconConfig
{
    public BeaconConfig(string name, IEnumerable<KeyValuePair<string, object?>> items)
    {
        Name = name;
        Items = items.ToList();
    }

    /// <summary>The configured beacon name, used in error messages.</summary>
    public string Name { get; }

    /// <summary>The settings in the order written; a key given twice keeps both here (diskusage reads mounts in order).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Items { get; }

    public bool Has(string key) => Items.Any(i => i.Key == key);

    /// <summary>The value of a key; the last one wins, as Salt's <c>list_to_dict</c>.</summary>
    public object? Get(string key) => Items.LastOrDefault(i => i.Key == key).Value;

    public BeaconConfigException Error(string path, string message) => new($"beacon '{Name}': '{path}' {message}");

    public bool Bool(string key, bool defaultValue) => Has(key) ? Bool(Get(key), key, defaultValue) : defaultValue;

    public bool Bool(object? value, string path, bool defaultValue) => value switch
    {
        null => defaultValue,
        bool b => b,
        string s when s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase) => true,
        string s when s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw Error(path, $"must be True or False, got '{Show(value)}'"),
    };

    public double Number(object? value, string path) => value switch
    {
        long l => l,
        double d => d,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Error(path, $"must be a number, got '{Show(value)}'"),
    };

    /// <summary>A percentage as Salt writes it: <c>63%</c>, <c>63</c> or <c>'63.5'</c>.</summary>
    public double Percent(object? value, string path)
    {
        var text = value is string s ? s.Replace("%", "", StringComparison.Ordinal) : value;
        var percent = value is long or double or string ? TryNumber(text) : null;
        return percent is >= 0 and <= 100
            ? percent.Value
            : throw Error(path, $"must be a percentage between 0 and 100 (like 63%), got '{Show(value)}'");
    }

    public string String(object? value, string path) => value switch
    {
        string s when s.Length > 0 => s,
        long or double or bool => DataTree.KeyToString(value),
        _ => throw Error(path, $"must be a non-empty string, got '{Show(value)}'"),
    };

    /// <summary>A mapping; <paramref name="nullIsEmpty"/> lets <c>nginx:</c> with nothing after it mean no settings.</summary>
    public Dictionary<string, object?> Map(object? value, string path, bool nullIsEmpty = false) => value switch
    {
        Dictionary<string, object?> map => map,
        null when nullIsEmpty => new Dictionary<string, object?>(StringComparer.Ordinal),
        _ => throw Error(path, $"must be a mapping, got '{Show(value)}'"),
    };

    /// <summary>A required mapping setting of the beacon itself.</summary>
    public Dictionary<string, object?> RequireMap(string key) =>
        Has(key) ? Map(Get(key), key) : throw Error(key, "is required");

    public List<object?> List(object? value, string path) => value switch
    {
        List<object?> list => list,
        _ => throw Error(path, $"must be a list, got '{Show(value)}'"),
    };

    /// <summary>Compiles a Python <c>re</c> pattern (with <c>(?P&lt;name&gt;)</c> groups), failing with the key named.</summary>
    public Regex Regex(string pattern, string path)
    {
        try
        {
            var dotnet = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
            dotnet = System.Text.RegularExpressions.Regex.Replace(dotnet, @"\(\?P=(\w+)\)", @"\k<$1>");
            return new Regex(dotnet, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw Error(path, $"is not a valid regular expression: {e.Message}");
        }
    }

    private static double? TryNumber(object? value) => value switch
    {
        long l => l,
        double d => d,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static string Show(object? value) => value switch
    {
        null => "None",
        string s => s,
        Dictionary<string, object?> or List<object?> => DataTree.ToJson(value, indent: false),
        _ => DataTree.KeyToString(value),
    };
}
