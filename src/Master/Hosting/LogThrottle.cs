namespace Orchestrator.Master.Hosting;

/// <summary>
/// Lets one log line per key through per period and counts the rest, so a storm writes a line every few seconds that
/// says how much it hid, not a line per event. Thread-safe.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan every)
{
    private const int MaxKeys = 1_000;

    private readonly Dictionary<string, (DateTimeOffset Last, long Suppressed)> _keys = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Whether to log now; <paramref name="suppressed"/> is how many were held back since the last line.</summary>
    public bool ShouldLog(string key, out long suppressed)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_keys.TryGetValue(key, out var entry) && now - entry.Last < every)
            {
                _keys[key] = (entry.Last, entry.Suppressed + 1);
                suppressed = 0;
                return false;
            }
            if (_keys.Count >= MaxKeys)
            {
                foreach (var stale in _keys.Where(p => now - p.Value.Last >= every).Select(p => p.Key).ToList())
                {
                    _keys.Remove(stale);
                }
                if (_keys.Count >= MaxKeys)
                {
                    // Over a thousand distinct lines within one period: start counting afresh rather than grow.
                    _keys.Clear();
                }
            }
            suppressed = entry.Suppressed;
            _keys[key] = (now, 0);
            return true;
        }
    }
}
