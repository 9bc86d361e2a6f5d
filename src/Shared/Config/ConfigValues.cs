using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Config;

/// <summary>Typed reads from a loaded configuration.</summary>
public static class ConfigValues
{
    /// <summary>A string value, or <paramref name="fallback"/>.</summary>
    public static string GetString(this IReadOnlyDictionary<string, object?> config, string key, string fallback = "") =>
        config.TryGetValue(key, out var value) && value is not null ? DataTree.KeyToString(value) : fallback;

    /// <summary>An integer value, or <paramref name="fallback"/>.</summary>
    public static long GetLong(this IReadOnlyDictionary<string, object?> config, string key, long fallback = 0) =>
        config.TryGetValue(key, out var value) && value is long l ? l : fallback;

    /// <summary>A boolean value, or <paramref name="fallback"/>.</summary>
    public static bool GetBool(this IReadOnlyDictionary<string, object?> config, string key, bool fallback = false) =>
        config.TryGetValue(key, out var value) && value is bool b ? b : fallback;

    /// <summary>A mapping value, or an empty one.</summary>
    public static Dictionary<string, object?> GetMap(this IReadOnlyDictionary<string, object?> config, string key) =>
        config.TryGetValue(key, out var value) && value is Dictionary<string, object?> m ? m : new(StringComparer.Ordinal);

    /// <summary>A list of strings, or an empty list.</summary>
    public static List<string> GetStringList(this IReadOnlyDictionary<string, object?> config, string key) =>
        config.TryGetValue(key, out var value) && value is List<object?> list
            ? list.Where(v => v is not null).Select(v => DataTree.KeyToString(v)).ToList()
            : [];

    /// <summary>Salt's <c>file_roots: {base: [dir, ...]}</c> shape: environment → directories.</summary>
    public static Dictionary<string, List<string>> GetRoots(this IReadOnlyDictionary<string, object?> config, string key, string file)
    {
        var roots = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (env, dirs) in config.GetMap(key))
        {
            roots[env] = dirs switch
            {
                // An empty or nested entry would resolve against the working directory or become a type name: refuse it.
                List<object?> list when list.All(d => d is string { Length: > 0 } or long or double) =>
                    list.Select(d => DataTree.KeyToString(d)).ToList(),
                string { Length: > 0 } single => [single],
                _ => throw new ConfigException($"{file}: invalid value for '{key}:{env}': expected a list of directories"),
            };
        }
        return roots;
    }
}
