using System.Reflection;

namespace Orchestrator.Minion.Beacons;

/// <summary>The beacon modules a minion offers, by Salt name.</summary>
public sealed class BeaconRegistry
{
    private readonly SortedDictionary<string, IBeacon> _beacons = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IBeacon> Beacons => _beacons;

    public BeaconRegistry Add(IBeacon beacon)
    {
        var name = NameOf(beacon.GetType());
        if (!_beacons.TryAdd(name, beacon))
        {
            throw new InvalidOperationException($"Beacon '{name}' is registered twice");
        }
        return this;
    }

    public IBeacon? Find(string name) => _beacons.GetValueOrDefault(name);

    /// <summary>The Salt name declared by <see cref="BeaconAttribute"/> on a beacon type.</summary>
    public static string NameOf(Type beaconType) =>
        beaconType.GetCustomAttribute<BeaconAttribute>()?.Name
        ?? throw new InvalidOperationException($"{beaconType.Name} has no [Beacon] attribute");
}
