namespace Orchestrator.Minion.Beacons;

/// <summary>
/// A beacon module: watches one aspect of the host and turns what changes into events. The module name comes from
/// <see cref="BeaconAttribute"/>.
/// </summary>
/// <remarks>
/// <see cref="Create"/> reads one configured beacon's settings once, so a bad setting fails before anything runs, with the
/// beacon and key named. The returned watcher keeps whatever it must remember between polls (last status, file offsets,
/// watches); it may implement <see cref="IDisposable"/> to release them when the beacon is removed, reconfigured or closed
/// for a state run.
/// </remarks>
public interface IBeacon
{
    /// <summary>One-line description, shown by <c>beacons.list_available</c> docs.</summary>
    string Doc { get; }

    /// <summary>Builds a watcher for one configured beacon.</summary>
    /// <exception cref="BeaconConfigException">A setting is missing or invalid.</exception>
    IBeaconWatcher Create(BeaconConfig config);
}
