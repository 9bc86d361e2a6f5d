using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Beacons;

/// <summary>
/// One entry under <c>beacons:</c>, read: the module it runs, the settings the framework handles, and the beacon's own
/// settings.
/// </summary>
/// <param name="Name">The configured name: the key under <c>beacons:</c> and the last part of the event tag.</param>
/// <param name="Module">The beacon module: <c>beacon_module</c>, else the name.</param>
/// <param name="Fingerprint">The raw configuration as canonical JSON; an unchanged fingerprint keeps the running watcher.</param>
public sealed record BeaconSpec(
    string Name,
    string Module,
    bool Enabled,
    TimeSpan Interval,
    bool DisableDuringStateRun,
    bool RunOnce,
    BeaconConfig Config,
    string Fingerprint)
{
    /// <summary>Salt's <c>loop_interval</c>: beacons without an <c>interval</c> run every second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Keys the framework reads; every other key goes to the beacon.</summary>
    public static readonly IReadOnlySet<string> FrameworkKeys =
        new HashSet<string>(StringComparer.Ordinal) { "enabled", "interval", "disable_during_state_run", "beacon_module", "run_once" };

    /// <summary>Reads one beacon's configuration in Salt's list-of-dicts form, or the older plain-dict form.</summary>
    /// <exception cref="BeaconConfigException">The shape or a framework key is invalid, or the module does not exist.</exception>
    public static BeaconSpec Parse(string name, object? raw, BeaconRegistry registry)
    {
        var items = Flatten(name, raw);
        var framework = new BeaconConfig(name, items.Where(i => FrameworkKeys.Contains(i.Key)));
        // Salt hides keys that start with an underscore from beacons (_beacon_name and the like).
        var own = new BeaconConfig(name, items.Where(i => !FrameworkKeys.Contains(i.Key) && !i.Key.StartsWith('_')));
        var module = framework.Has("beacon_module") ? framework.String(framework.Get("beacon_module"), "beacon_module") : name;
        if (registry.Find(module) is null)
        {
            var available = string.Join(", ", registry.Beacons.Keys);
            throw framework.Has("beacon_module")
                ? framework.Error("beacon_module", $"names no beacon module '{module}' (available: {available})")
                : new BeaconConfigException(
                    $"beacon '{name}': no beacon module named '{name}'; set 'beacon_module' to run a module under another name (available: {available})");
        }
        var interval = DefaultInterval;
        if (framework.Has("interval"))
        {
            var seconds = framework.Number(framework.Get("interval"), "interval");
            if (seconds <= 0 || double.IsNaN(seconds) || seconds > TimeSpan.FromDays(365).TotalSeconds)
            {
                throw framework.Error("interval", $"must be a positive number of seconds, got '{seconds}'");
            }
            interval = TimeSpan.FromSeconds(seconds);
        }
        return new BeaconSpec(
            name,
            module,
            framework.Bool("enabled", true),
            interval,
            framework.Bool("disable_during_state_run", false),
            framework.Bool("run_once", false),
            own,
            DataTree.ToJson(raw, indent: false));
    }

    private static List<KeyValuePair<string, object?>> Flatten(string name, object? raw)
    {
        switch (raw)
        {
            case null:
                return [];
            case Dictionary<string, object?> map:
                return [.. map];
            case List<object?> list:
                var items = new List<KeyValuePair<string, object?>>();
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not Dictionary<string, object?> item)
                    {
                        throw new BeaconConfigException(
                            $"beacon '{name}': item {i + 1} must be a mapping such as '- interval: 5' (Salt's list-of-dicts form), got '{Show(list[i])}'");
                    }
                    items.AddRange(item);
                }
                return items;
            default:
                throw new BeaconConfigException(
                    $"beacon '{name}': the configuration must be a list of mappings (or a mapping), got '{Show(raw)}'");
        }
    }

    private static string Show(object? value) => value is string s ? s : DataTree.ToJson(value, indent: false);
}
