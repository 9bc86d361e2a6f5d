namespace Orchestrator.Minion.Beacons;

/// <summary>How one configured beacon is doing.</summary>
/// <param name="Name">The configured name.</param>
/// <param name="Module">The beacon module it runs.</param>
/// <param name="Running">True while it polls (false when disabled or invalid).</param>
/// <param name="Polls">Polls that completed.</param>
/// <param name="Events">Events those polls produced.</param>
/// <param name="Failures">Polls that failed since the last good one.</param>
/// <param name="LastError">The last poll failure, until a poll succeeds.</param>
/// <param name="ConfigError">Why the beacon is not running, when its configuration is invalid.</param>
public sealed record BeaconStatus(
    string Name, string Module, bool Running, long Polls, long Events, long Failures, string? LastError, string? ConfigError);
