namespace Orchestrator.Master.Api;

/// <summary>
/// <c>login_rate_limit</c>: at most N <c>POST /login</c> attempts per client address in any 60 seconds (a sliding window), so
/// passwords cannot be guessed at network speed. Addresses not seen for a minute are forgotten.
/// </summary>
public sealed class LoginRateLimiter(int perMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _attempts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep;

    /// <summary>Records an attempt from <paramref name="client"/>; false (and the seconds until one is allowed) when over the limit.</summary>
    public bool TryAcquire(string client, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (perMinute <= 0)
        {
            return true;
        }
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Sweep(now);
            if (!_attempts.TryGetValue(client, out var recent))
            {
                _attempts[client] = recent = new Queue<DateTimeOffset>();
            }
            while (recent.Count > 0 && now - recent.Peek() >= Window)
            {
                recent.Dequeue();
            }
            if (recent.Count >= perMinute)
            {
                retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((recent.Peek() + Window - now).TotalSeconds));
                return false;
            }
            recent.Enqueue(now);
            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now - _lastSweep < Window)
        {
            return;
        }
        _lastSweep = now;
        foreach (var (client, recent) in _attempts.ToList())
        {
            if (recent.Count == 0 || now - recent.Last() >= Window)
            {
                _attempts.Remove(client);
            }
        }
    }
}
