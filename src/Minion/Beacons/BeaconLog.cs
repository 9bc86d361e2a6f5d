using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Beacons;

/// <summary>The beacon system's log messages (event ids 2400-2499).</summary>
internal static partial class BeaconLog
{
    [LoggerMessage(2400, LogLevel.Information, "Beacons loaded: {Running} running, {Disabled} disabled, {Invalid} invalid")]
    public static partial void Loaded(ILogger logger, int running, int disabled, int invalid);

    [LoggerMessage(2401, LogLevel.Error, "Beacon {Beacon} not started: {Reason}")]
    public static partial void ConfigInvalid(ILogger logger, string beacon, string reason);

    [LoggerMessage(2402, LogLevel.Error, "{Source}: beacon configuration ignored: {Reason}")]
    public static partial void SourceInvalid(ILogger logger, string source, string reason);

    [LoggerMessage(2403, LogLevel.Information, "Beacon {Beacon} started ({Module}, every {IntervalSeconds}s)")]
    public static partial void Started(ILogger logger, string beacon, string module, double intervalSeconds);

    [LoggerMessage(2404, LogLevel.Information, "Beacon {Beacon} stopped")]
    public static partial void Stopped(ILogger logger, string beacon);

    [LoggerMessage(2410, LogLevel.Error, "Beacon {Beacon} failed; it keeps polling")]
    public static partial void PollFailed(ILogger logger, Exception exception, string beacon);

    [LoggerMessage(2411, LogLevel.Debug, "Beacon {Beacon} failed again: {Reason}")]
    public static partial void PollFailedAgain(ILogger logger, string beacon, string reason);

    [LoggerMessage(2412, LogLevel.Information, "Beacon {Beacon} works again after {Failures} failed polls")]
    public static partial void PollRecovered(ILogger logger, string beacon, long failures);

    [LoggerMessage(2413, LogLevel.Debug, "Beacon {Beacon} skipped: a state run is in progress")]
    public static partial void SkippedForStateRun(ILogger logger, string beacon);

    [LoggerMessage(2414, LogLevel.Information, "Beacon {Beacon} ran once (run_once) and is now disabled")]
    public static partial void RanOnce(ILogger logger, string beacon);

    [LoggerMessage(2420, LogLevel.Warning, "Master unreachable ({Reason}); beacon events are kept, newest per tag, until it answers")]
    public static partial void MasterUnreachable(ILogger logger, string reason);

    [LoggerMessage(2421, LogLevel.Information, "Master reachable again; {Coalesced} beacon events were coalesced and {Dropped} dropped while it was not")]
    public static partial void MasterReachable(ILogger logger, long coalesced, long dropped);

    [LoggerMessage(2422, LogLevel.Warning, "The master refused beacon event {Tag}")]
    public static partial void EventRefused(ILogger logger, string tag);

    [LoggerMessage(2423, LogLevel.Warning, "Could not send {Tag} to the master: {Reason}")]
    public static partial void AnnounceFailed(ILogger logger, string tag, string reason);

    [LoggerMessage(2430, LogLevel.Warning, "Beacon {Beacon}: {Message}")]
    public static partial void BeaconWarning(ILogger logger, string beacon, string message);

    [LoggerMessage(2431, LogLevel.Information, "Beacons saved to {Path}")]
    public static partial void Saved(ILogger logger, string path);
}
