namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>Salt's <c>memusage</c> beacon: fires <c>{memusage: percent}</c> when memory use reaches <c>percent</c>.</summary>
/// <remarks>
/// Fires when use crosses up to the threshold, and again only after it fell below; <c>onchangeonly: False</c> fires on every
/// poll while at or above it, as Salt does. Use is psutil's: (MemTotal - MemAvailable) / MemTotal.
/// </remarks>
[Beacon("memusage")]
public sealed class MemUsageBeacon(string hostRoot = "/") : IBeacon
{
    public string Doc => "Fire when memory use crosses up to the configured percent.";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        if (!config.Has("percent"))
        {
            throw config.Error("percent", "is required (like '- percent: 63%')");
        }
        return new Watcher(hostRoot, config.Percent(config.Get("percent"), "percent"), config.Bool("onchangeonly", true));
    }

    /// <summary>Memory in use as a percentage, one decimal, as psutil's <c>virtual_memory().percent</c>.</summary>
    internal static double UsedPercent(string root)
    {
        var info = HostFiles.MemInfo(root);
        var total = info.GetValueOrDefault("MemTotal");
        var available = info.TryGetValue("MemAvailable", out var a)
            ? a
            : info.GetValueOrDefault("MemFree") + info.GetValueOrDefault("Buffers") + info.GetValueOrDefault("Cached");
        return HostFiles.Percent(total - available, total);
    }

    private sealed class Watcher(string root, double threshold, bool onChangeOnly) : IBeaconWatcher
    {
        private bool _over;

        public Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var used = UsedPercent(root);
            var over = used >= threshold;
            var fire = over && (!onChangeOnly || !_over);
            _over = over;
            IReadOnlyList<Dictionary<string, object?>> events = fire
                ? [new Dictionary<string, object?>(StringComparer.Ordinal) { ["memusage"] = used }]
                : BeaconContext.None;
            return Task.FromResult(events);
        }
    }
}
