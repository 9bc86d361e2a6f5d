namespace Orchestrator.Minion.Beacons;

/// <summary>The outcome of a change to the beacons, as Salt's completion events carry it.</summary>
/// <param name="Complete">False when the change was refused (the beacon is configured in pillar).</param>
/// <param name="Comment">What was done, in Salt's words.</param>
/// <param name="Beacons">The minion's own (not pillar) beacons after the change.</param>
public sealed record BeaconChange(bool Complete, string Comment, Dictionary<string, object?> Beacons);
