namespace Orchestrator.Master.Reactor;

/// <summary>
/// Remembers which (rule, rendered action) pairs ran within the window, so an event repeated by a flapping beacon or a
/// retrying minion runs its action once. Thread-safe; memory is bounded by what ran within one window, and by
/// <see cref="MaxEntries"/> at worst.
/// </summary>
public sealed class ReactorDeduplicator(TimeSpan window, TimeProvider time)
{
    /// <summary>Beyond this many remembered actions the oldest are forgotten early.</summary>
    public const int MaxEntries = 100_000;

    private readonly Dictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Until)> _order = new();
    private readonly Lock _lock = new();

    public bool Enabled => window > TimeSpan.Zero;

    public TimeSpan Window => window;

    /// <summary>Whether the same action of the same rule ran within the window.</summary>
    public bool IsDuplicate(string rule, string action)
    {
        if (!Enabled)
        {
            return false;
        }
        lock (_lock)
        {
            var now = time.GetUtcNow();
            Prune(now);
            return _until.TryGetValue(Key(rule, action), out var until) && until > now;
        }
    }

    /// <summary>Records that the action ran now; duplicates are recognised until the window has passed.</summary>
    public void Record(string rule, string action)
    {
        if (!Enabled)
        {
            return;
        }
        lock (_lock)
        {
            var until = time.GetUtcNow() + window;
            var key = Key(rule, action);
            _until[key] = until;
            _order.Enqueue((key, until));
            while (_until.Count > MaxEntries && _order.TryDequeue(out var oldest))
            {
                if (_until.TryGetValue(oldest.Key, out var current) && current == oldest.Until)
                {
                    _until.Remove(oldest.Key);
                }
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && oldest.Until <= now)
        {
            _order.Dequeue();
            if (_until.TryGetValue(oldest.Key, out var current) && current == oldest.Until)
            {
                _until.Remove(oldest.Key);
            }
        }
    }

    private static string Key(string rule, string action) => rule + "\n" + action;
}
