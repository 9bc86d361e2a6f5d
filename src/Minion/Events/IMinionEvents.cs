namespace Orchestrator.Minion.Events;

/// <summary>
/// How code on a minion fires events: to the master's bus (<c>event.send</c>, <c>event.fire_master</c>, beacons) or to this
/// minion's own in-process bus (<c>event.fire</c>), where the minion's handlers listen.
/// </summary>
public interface IMinionEvents
{
    /// <summary>
    /// Sends an event to the master's bus. Returns false when the master refused it (a reserved tag); throws when the master
    /// cannot be reached.
    /// </summary>
    Task<bool> FireMasterAsync(string tag, Dictionary<string, object?> data, CancellationToken cancellationToken);

    /// <summary>Fires an event on this minion's local bus.</summary>
    void FireLocal(string tag, Dictionary<string, object?> data);

    /// <summary>Listens on this minion's local bus for tags starting with <paramref name="tagPrefix"/>; dispose to stop.</summary>
    IDisposable Listen(string tagPrefix, Action<string, Dictionary<string, object?>> handler);
}
