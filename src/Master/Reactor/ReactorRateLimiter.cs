namespace Orchestrator.Master.Reactor;

/// <summary>
/// At most <c>count</c> actions per rule in any window of <c>per</c> (a sliding log of start times, so a burst at the
/// edge of two fixed windows cannot run twice the limit). Thread-safe.
/// </summary>
public sealed class ReactorRateLimiter(int count, TimeSpan per, TimeProvider time)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _starts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Whether there is a limit (count 0 turns it off).</summary>
    public bool Enabled => count > 0;

    public int Count => count;

    public TimeSpan Per => per;

    /// <summary>Takes one action from the rule's budget, or returns false when the window's budget is spent.</summary>
    public bool TryAcquire(string rule)
    {
        if (!Enabled)
        {
            return true;
        }
        lock (_lock)
        {
            var starts = Window(rule, time.GetUtcNow());
            if (starts.Count >= count)
            {
                return false;
            }
            starts.Enqueue(time.GetUtcNow());
            return true;
        }
    }

    /// <summary>Whether the rule's budget is spent right now (nothing is taken).</summary>
    public bool IsExhausted(string rule)
    {
        if (!Enabled)
        {
            return false;
        }
        lock (_lock)
        {
            return Window(rule, time.GetUtcNow()).Count >= count;
        }
    }

    private Queue<DateTimeOffset> Window(string rule, DateTimeOffset now)
    {
        if (!_starts.TryGetValue(rule, out var starts))
        {
            starts = new Queue<DateTimeOffset>();
            _starts[rule] = starts;
        }
        while (starts.Count > 0 && now - starts.Peek() >= per)
        {
            starts.Dequeue();
        }
        return starts;
    }
}
