namespace Orchestrator.Minion.Beacons;

/// <summary>What became of the beacon events this minion produced.</summary>
/// <param name="Queued">Events handed to the sender.</param>
/// <param name="Delivered">Events the master put on its bus.</param>
/// <param name="Refused">Events the master refused (a tag this minion may not fire).</param>
/// <param name="Coalesced">Events replaced by a newer one with the same tag while the master could not be reached.</param>
/// <param name="Dropped">Events dropped because the queue was full.</param>
/// <param name="Failures">Send attempts that failed because the master could not be reached.</param>
/// <param name="MasterReachable">False from a failed send until the next one succeeds.</param>
public sealed record BeaconEventStats(
    long Queued, long Delivered, long Refused, long Coalesced, long Dropped, long Failures, bool MasterReachable);
