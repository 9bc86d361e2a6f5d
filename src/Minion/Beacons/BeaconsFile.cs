using Orchestrator.Shared.Security;
using Orchestrator.Shared.Output;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;

namespace Orchestrator.Minion.Beacons;

/// <summary>
/// <c>&lt;config dir&gt;/minion.d/beacons.conf</c>, where <c>beacons.save</c> writes the minion's beacons as Salt does and
/// from where they are read back at start.
/// </summary>
public static class BeaconsFile
{
    public static string PathIn(string configDir) => Path.Combine(configDir, "minion.d", "beacons.conf");

    /// <summary>The <c>beacons:</c> mapping of the file; null when the file does not exist, empty when it is empty.</summary>
    /// <exception cref="BeaconConfigException">The file cannot be read or is not a <c>beacons:</c> mapping; the message names the file.</exception>
    public static Dictionary<string, object?>? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        object? document;
        try
        {
            document = YamlLoader.Load(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlLoadException)
        {
            throw new BeaconConfigException($"{path}: {e.Message}");
        }
        return document switch
        {
            null => new Dictionary<string, object?>(StringComparer.Ordinal),
            Dictionary<string, object?> top when top.Count == 0 || top.GetValueOrDefault("beacons") is null =>
                new Dictionary<string, object?>(StringComparer.Ordinal),
            Dictionary<string, object?> top when top["beacons"] is Dictionary<string, object?> beacons => beacons,
            _ => throw new BeaconConfigException($"{path}: expected a 'beacons:' mapping of beacon names to their configuration"),
        };
    }

    /// <summary>PyYAML's <c>safe_dump(data, default_flow_style=False)</c>, as Salt writes and returns beacon YAML.</summary>
    public static string Yaml(object? data) =>
        new YamlOutputter().Format(data, OutputOptions.Default with { Static = true }) + "\n";

    /// <summary>Writes the beacons as PyYAML's <c>safe_dump</c> would (empty text for none), readable by the owner only.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, object?> beacons)
    {
        var text = beacons.Count == 0 ? string.Empty : Yaml(new Dictionary<string, object?> { ["beacons"] = beacons });
        // The file may name pid files, URLs, log paths and job arguments: the owner's alone.
        PrivateFiles.WriteAtomic(path, text);
    }
}
