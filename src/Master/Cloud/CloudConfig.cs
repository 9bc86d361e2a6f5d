using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Cloud;

/// <summary>
/// The cloud providers and profiles, read as salt-cloud reads them: <c>cloud_providers</c> and <c>cloud_profiles</c>
/// mappings in the master config, and the YAML files <c>DIR/cloud.providers</c>, <c>DIR/cloud.providers.d/*.conf</c>,
/// <c>DIR/cloud.profiles</c>, <c>DIR/cloud.profiles.d/*.conf</c>. Read afresh on every cloud call, as each salt-cloud run
/// reads them, so a new profile needs no master restart.
/// </summary>
/// <remarks>
/// A name defined in two places is an error naming both, not a silent override. A profile whose provider or
/// <c>extends:</c> parent is missing stays listed and fails when used, with the missing name in the message.
/// </remarks>
public sealed class CloudConfig
{
    /// <summary>The master config keys this reads.</summary>
    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("cloud_providers", ConfigKind.Map, new Dictionary<string, object?>(),
            "Cloud providers by alias: {my-local: {driver: local, root_dir: ...}} (also DIR/cloud.providers.d/*.conf)."),
        new("cloud_profiles", ConfigKind.Map, new Dictionary<string, object?>(),
            "Cloud profiles by name: {web: {provider: my-local, minion: {grains: ...}}} (also DIR/cloud.profiles.d/*.conf)."),
    ];

    private CloudConfig(Dictionary<string, CloudProvider> providers, Dictionary<string, CloudProfile> profiles)
    {
        Providers = providers;
        Profiles = profiles;
    }

    /// <summary>The providers by alias.</summary>
    public IReadOnlyDictionary<string, CloudProvider> Providers { get; }

    /// <summary>The profiles by name, as written.</summary>
    public IReadOnlyDictionary<string, CloudProfile> Profiles { get; }

    /// <summary>Reads the providers and profiles of a master's loaded config and of its config dir (empty: none).</summary>
    /// <exception cref="ConfigException">A file is not valid YAML, an entry is not a mapping, a provider has no driver, or a name is defined twice.</exception>
    public static CloudConfig Load(IReadOnlyDictionary<string, object?> masterConfig, string configDir)
    {
        var providers = new Dictionary<string, CloudProvider>(StringComparer.Ordinal);
        foreach (var (source, entries) in Sources(masterConfig, configDir, "cloud_providers", "cloud.providers"))
        {
            foreach (var (alias, value) in entries)
            {
                var settings = Mapping(value, source, $"provider '{alias}'");
                var driver = settings.GetValueOrDefault("driver") is { } d ? DataTree.KeyToString(d) : "";
                if (driver.Length == 0)
                {
                    throw new ConfigException($"{source}: provider '{alias}' has no 'driver' (local or netns)");
                }
                if (providers.TryGetValue(alias, out var seen))
                {
                    throw new ConfigException($"{source}: provider '{alias}' is already defined in {seen.Source}");
                }
                providers[alias] = new CloudProvider(alias, driver, settings, source);
            }
        }
        var profiles = new Dictionary<string, CloudProfile>(StringComparer.Ordinal);
        foreach (var (source, entries) in Sources(masterConfig, configDir, "cloud_profiles", "cloud.profiles"))
        {
            foreach (var (name, value) in entries)
            {
                if (profiles.TryGetValue(name, out var seen))
                {
                    throw new ConfigException($"{source}: profile '{name}' is already defined in {seen.Source}");
                }
                profiles[name] = new CloudProfile(name, Mapping(value, source, $"profile '{name}'"), source);
            }
        }
        return new CloudConfig(providers, profiles);
    }

    /// <summary>The settings a node of <paramref name="profile"/> is created with: its provider's, then its ancestors', then its own.</summary>
    /// <exception cref="ArgumentException">The profile, its provider or a parent it extends is not defined, or <c>extends:</c> loops.</exception>
    public CloudVm ResolveProfile(string profile, string name)
    {
        if (!Profiles.ContainsKey(profile))
        {
            throw new ArgumentException(Profiles.Count == 0
                ? $"Profile {profile} is not defined: there are no cloud profiles configured"
                : $"Profile {profile} is not defined (profiles: {string.Join(", ", Profiles.Keys.Order(StringComparer.Ordinal))})");
        }
        var chain = new List<CloudProfile>();
        for (var current = profile; current is not null;)
        {
            if (chain.Any(p => p.Name == current))
            {
                throw new ArgumentException($"profile '{profile}': extends loops through {string.Join(" -> ", chain.Select(p => p.Name))} -> {current}");
            }
            if (!Profiles.TryGetValue(current, out var entry))
            {
                throw new ArgumentException($"profile '{chain[^1].Name}' extends '{current}', which is not defined");
            }
            chain.Add(entry);
            current = entry.Settings.GetValueOrDefault("extends") is { } parent ? DataTree.KeyToString(parent) : null;
        }
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            DictUpdate.Update(merged, DeepCopy(chain[i].Settings));
        }
        merged.Remove("extends");
        var providerName = merged.GetValueOrDefault("provider") is { } p ? DataTree.KeyToString(p) : "";
        if (providerName.Length == 0)
        {
            throw new ArgumentException($"profile '{profile}' ({chain[0].Source}) names no provider");
        }
        var provider = FindProvider(providerName)
            ?? throw new ArgumentException($"profile '{profile}' names provider '{providerName}', which is not configured ("
                + (Providers.Count == 0 ? "there are no cloud providers" : "providers: " + string.Join(", ", Providers.Keys.Order(StringComparer.Ordinal))) + ")");
        var settings = DictUpdate.Update(DeepCopy(provider.Settings), merged);
        settings["provider"] = provider.FullName;
        settings["driver"] = provider.Driver;
        settings["profile"] = profile;
        settings["name"] = name;
        return new CloudVm(name, profile, provider, settings);
    }

    /// <summary>Salt's <c>cloud.create PROVIDER NAMES key=value...</c>: a node from a provider's settings and the given ones.</summary>
    public CloudVm ResolveProvider(string providerName, string name, IReadOnlyDictionary<string, object?> overrides)
    {
        var provider = FindProvider(providerName)
            ?? throw new ArgumentException($"provider '{providerName}' is not configured");
        var settings = DictUpdate.Update(DeepCopy(provider.Settings), DeepCopy(overrides.ToDictionary(StringComparer.Ordinal)));
        settings["provider"] = provider.FullName;
        settings["driver"] = provider.Driver;
        settings["profile"] = null;
        settings["name"] = name;
        return new CloudVm(name, null, provider, settings);
    }

    /// <summary>A provider by alias, or by Salt's <c>alias:driver</c> when the driver matches.</summary>
    public CloudProvider? FindProvider(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var alias = colon < 0 ? name : name[..colon];
        return Providers.TryGetValue(alias, out var provider) && (colon < 0 || provider.Driver == name[(colon + 1)..]) ? provider : null;
    }

    private static IEnumerable<(string Source, Dictionary<string, object?> Entries)> Sources(
        IReadOnlyDictionary<string, object?> masterConfig, string configDir, string key, string file)
    {
        if (masterConfig.GetValueOrDefault(key) is { } inline)
        {
            yield return ($"master config '{key}'", Mapping(inline, "master config", $"'{key}'"));
        }
        if (configDir.Length == 0)
        {
            yield break;
        }
        var single = Path.Combine(configDir, file);
        if (File.Exists(single))
        {
            yield return (single, ReadFile(single));
        }
        var dir = Path.Combine(configDir, file + ".d");
        if (Directory.Exists(dir))
        {
            foreach (var path in Directory.EnumerateFiles(dir, "*.conf").Order(StringComparer.Ordinal))
            {
                yield return (path, ReadFile(path));
            }
        }
    }

    private static Dictionary<string, object?> ReadFile(string path) => ConfigLoader.Load(path, [], _ => { });

    private static Dictionary<string, object?> Mapping(object? value, string source, string what) => value switch
    {
        Dictionary<string, object?> map => map,
        null => new Dictionary<string, object?>(StringComparer.Ordinal),
        _ => throw new ConfigException($"{source}: {what} must be a mapping, got '{DataTree.ToJson(value, false)}'"),
    };

    private static Dictionary<string, object?> DeepCopy(Dictionary<string, object?> map) =>
        map.ToDictionary(kv => kv.Key, kv => Copy(kv.Value), StringComparer.Ordinal);

    private static object? Copy(object? value) => value switch
    {
        Dictionary<string, object?> map => DeepCopy(map),
        List<object?> list => list.Select(Copy).ToList(),
        _ => value,
    };
}
