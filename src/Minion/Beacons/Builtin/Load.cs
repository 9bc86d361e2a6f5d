namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>load</c> beacon: fires <c>{1m, 5m, 15m}</c> when a load average leaves its <c>[low, high]</c> range.
/// </summary>
/// <remarks>
/// <c>onchangeonly</c> (default True here; Salt's default is False) fires only when an average crosses above its high or
/// below its low mark; False fires on every poll while any average is out of range, as Salt does by default.
/// <c>emitatstartup</c> (default True) fires on the first poll if an average is already out of range.
/// </remarks>
[Beacon("load")]
public sealed class LoadBeacon(string hostRoot = "/") : IBeacon
{
    private static readonly string[] Windows = ["1m", "5m", "15m"];

    public string Doc => "Fire when the 1, 5 or 15 minute load average crosses out of its [low, high] range.";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        var averages = config.RequireMap("averages");
        var ranges = new (double Low, double High)?[3];
        foreach (var (key, value) in averages)
        {
            var index = Array.IndexOf(Windows, key);
            if (index < 0)
            {
                throw config.Error($"averages:{key}", "is not one of 1m, 5m, 15m");
            }
            var pair = config.List(value, $"averages:{key}");
            if (pair.Count != 2)
            {
                throw config.Error($"averages:{key}", $"must be a list of two numbers [low, high], got {pair.Count} item(s)");
            }
            var low = config.Number(pair[0], $"averages:{key}:0");
            var high = config.Number(pair[1], $"averages:{key}:1");
            if (low > high)
            {
                throw config.Error($"averages:{key}", $"low {low} is above high {high}");
            }
            ranges[index] = (low, high);
        }
        if (ranges.All(r => r is null))
        {
            throw config.Error("averages", "must contain 1m, 5m or 15m");
        }
        return new Watcher(hostRoot, ranges, config.Bool("onchangeonly", true), config.Bool("emitatstartup", true));
    }

    private sealed class Watcher(string root, (double Low, double High)?[] ranges, bool onChangeOnly, bool emitAtStartup) : IBeaconWatcher
    {
        private double[]? _last;

        public Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var (one, five, fifteen) = HostFiles.LoadAverages(root);
            double[] current = [one, five, fifteen];
            var last = _last;
            _last = current;
            var fire = onChangeOnly
                ? last is null ? emitAtStartup && AnyOutside(current) : AnyCrossed(last, current)
                : AnyOutside(current);
            IReadOnlyList<Dictionary<string, object?>> events = fire
                ? [new Dictionary<string, object?>(StringComparer.Ordinal) { ["1m"] = one, ["5m"] = five, ["15m"] = fifteen }]
                : BeaconContext.None;
            return Task.FromResult(events);
        }

        private bool AnyOutside(double[] current) =>
            Enumerable.Range(0, 3).Any(i => ranges[i] is { } r && (current[i] < r.Low || current[i] > r.High));

        private bool AnyCrossed(double[] last, double[] current) =>
            Enumerable.Range(0, 3).Any(i => ranges[i] is { } r
                && ((current[i] > r.High && last[i] <= r.High) || (current[i] < r.Low && last[i] >= r.Low)));
    }
}
