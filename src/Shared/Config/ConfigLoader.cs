using System.Globalization;
using Orchestrator.Shared.Data;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Shared.Config;

/// <summary>
/// Reads a Salt-style YAML configuration file (<c>DIR/master</c>, <c>DIR/minion</c>) against a list of known keys:
/// unknown keys are reported by name, values of the wrong type fail with the key and file named.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/> (a missing file means all defaults) and returns every known key with its value.</summary>
    /// <param name="path">The configuration file.</param>
    /// <param name="keys">The known keys.</param>
    /// <param name="warn">Receives one message per unknown key.</param>
    /// <param name="overrides">Values that win over the file (used by tests and command-line flags).</param>
    /// <param name="given">When not null, receives the names of the keys the file or the overrides set (not defaulted).</param>
    public static Dictionary<string, object?> Load(
        string path, IReadOnlyList<ConfigKey> keys, Action<string> warn, IReadOnlyDictionary<string, object?>? overrides = null,
        ICollection<string>? given = null)
    {
        var raw = File.Exists(path) ? ReadYaml(path) : new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in overrides ?? new Dictionary<string, object?>())
        {
            // Overrides come from code (int, string[]...), not YAML: bring them to the data model before type checks.
            raw[key] = DataTree.Normalize(value);
        }
        var known = keys.ToDictionary(k => k.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            result[key.Name] = key.Default;
        }
        foreach (var (name, value) in raw)
        {
            given?.Add(name);
            if (!known.TryGetValue(name, out var key))
            {
                warn($"{path}: unknown configuration key '{name}' ignored");
                result[name] = value;
                continue;
            }
            result[name] = value is null ? key.Default : Coerce(path, key, value);
        }
        return result;
    }

    private static Dictionary<string, object?> ReadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        var parser = new Parser(reader);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{path}: line {e.Start.Line}, column {e.Start.Column}: invalid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this for some unterminated flow collections; the last parsed event shows where.
            var line = parser.Current?.End.Line;
            throw new ConfigException($"{path}: line {line}: invalid YAML: unterminated or malformed value", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        if (ConvertNode(path, stream.Documents[0].RootNode) is not Dictionary<string, object?> map)
        {
            throw new ConfigException($"{path}: the configuration must be a mapping of keys to values");
        }
        return map;
    }

    private static object? ConvertNode(string path, YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.ToDictionary(
            pair => KeyOf(path, pair.Key), pair => ConvertNode(path, pair.Value), StringComparer.Ordinal),
        YamlSequenceNode sequence => sequence.Children.Select(child => ConvertNode(path, child)).ToList(),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static string KeyOf(string path, YamlNode key) => key is YamlScalarNode scalar
        ? scalar.Value ?? string.Empty
        : throw new ConfigException($"{path}: line {key.Start.Line}, column {key.Start.Column}: keys must be plain values, not lists or mappings");

    private static object? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted || text is null)
        {
            return text;
        }
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (ParseBool(text) is { } b)
        {
            return b;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit))
        {
            return d;
        }
        return text;
    }

    private static bool? ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => null,
    };

    private static readonly string[] LogLevels = ["trace", "garbage", "debug", "info", "warning", "error", "critical", "quiet"];

    private static object? Coerce(string path, ConfigKey key, object value)
    {
        string Fail(string expected) =>
            throw new ConfigException($"{path}: invalid value for '{key.Name}': expected {expected}, got '{DataTree.ToJson(value, false)}'");
        switch (key.Kind)
        {
            case ConfigKind.String:
                return value is Dictionary<string, object?> or List<object?> ? Fail("a string") : DataTree.KeyToString(value);
            case ConfigKind.Int:
                return value is long l ? l : value is string s && long.TryParse(s, out var parsed) ? parsed : Fail("an integer");
            case ConfigKind.Port:
                return value is long p && p is > 0 and < 65536 ? p : Fail("a port number between 1 and 65535");
            case ConfigKind.Bool:
                return value is bool b ? b : value is string t && ParseBool(t) is { } parsedBool ? parsedBool : Fail("true or false");
            case ConfigKind.Map:
                return value is Dictionary<string, object?> m ? m : Fail("a mapping");
            case ConfigKind.List:
                return value is List<object?> list ? list : value is Dictionary<string, object?> ? Fail("a list") : new List<object?> { value };
            case ConfigKind.LogLevel:
                return value is string level && LogLevels.Contains(level.ToLowerInvariant())
                    ? level.ToLowerInvariant()
                    : Fail("one of " + string.Join(", ", LogLevels));
            default:
                return value;
        }
    }
}
