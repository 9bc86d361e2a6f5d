namespace Orchestrator.Minion.Beacons;

/// <summary>A beacon's configuration is invalid; the message names the beacon and the key.</summary>
public sealed class BeaconConfigException(string message) : Exception(message);
