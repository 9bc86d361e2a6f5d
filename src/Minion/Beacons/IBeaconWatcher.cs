namespace Orchestrator.Minion.Beacons;

/// <summary>One configured beacon at run time, polled on its interval.</summary>
public interface IBeaconWatcher
{
    /// <summary>
    /// Looks at the host once and returns the events to fire, each flat as Salt's beacons give it. A <c>tag</c> key is
    /// appended to the beacon's tag and removed from the data; <c>id</c> is added when missing.
    /// </summary>
    Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken);
}
