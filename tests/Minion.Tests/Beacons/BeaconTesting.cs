using Orchestrator.Minion.Beacons;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Minion.Tests.Beacons;

/// <summary>Builds beacon configs from YAML and polls watchers.</summary>
public static class BeaconTesting
{
    public static object? Yaml(string text) => YamlLoader.Load(text);

    public static BeaconRegistry Registry() => new BeaconRegistry().AddBuiltinBeacons().Add(new ScriptedBeacon());

    /// <summary>The beacon's own settings from YAML in Salt's list-of-dicts (or dict) form, as the manager passes them.</summary>
    public static BeaconConfig Config(string name, string yaml) => BeaconSpec.Parse(name, Yaml(yaml), Registry()).Config;

    public static IBeaconWatcher Create(IBeacon beacon, string yaml) => beacon.Create(Config(BeaconRegistry.NameOf(beacon.GetType()), yaml));

    public static IReadOnlyList<Dictionary<string, object?>> Poll(IBeaconWatcher watcher, TimeProvider? time = null) =>
        watcher.PollAsync(new BeaconContext { Name = "test", Time = time ?? TimeProvider.System }, CancellationToken.None).GetAwaiter().GetResult();

    public static string ConfigError(IBeacon beacon, string yaml) =>
        Assert.Throws<BeaconConfigException>(() => Create(beacon, yaml)).Message;
}
