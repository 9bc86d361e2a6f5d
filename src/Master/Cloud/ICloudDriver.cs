namespace Orchestrator.Master.Cloud;

/// <summary>
/// What differs between providers: where the node's network comes from and how its minion is started. Keys, config,
/// events and the wait for the start event are the same for every driver and belong to <see cref="CloudManager"/>.
/// </summary>
internal interface ICloudDriver
{
    /// <summary>The driver's name in a provider's <c>driver:</c> key.</summary>
    string Name { get; }

    /// <summary>Checks the host can run this driver and sets up the node's network; returns the node with its addresses.</summary>
    /// <exception cref="InvalidOperationException">The host cannot (a missing tool or privilege), with what to do about it.</exception>
    Task<CloudNode> PrepareAsync(CloudVm vm, CloudNode node, IReadOnlyList<CloudNode> existing, CancellationToken cancellationToken);

    /// <summary>The command line that runs the node's minion with its root dir as config dir.</summary>
    IReadOnlyList<string> Command(CloudNode node, string binary);

    /// <summary>Removes what <see cref="PrepareAsync"/> set up (safe to call when it did only part of it).</summary>
    Task TeardownAsync(CloudNode node, CancellationToken cancellationToken);
}
