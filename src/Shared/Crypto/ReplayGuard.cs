using System.Collections.Concurrent;

namespace Orchestrator.Shared.Crypto;

/// <summary>
/// Rejects envelopes whose timestamp is outside the window, or whose (sender, nonce) was already seen within it.
/// </summary>
/// <remarks>Nonces are remembered for twice the window, so anything older is refused by its timestamp instead.</remarks>
public sealed class ReplayGuard(TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _lastPruneMs;

    /// <summary>The accepted clock skew either way.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>Records the envelope and returns null when it is fresh, or the reason it is refused.</summary>
    public string? Check(string senderId, long timestampMs, byte[] nonce)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)Window.TotalMilliseconds;
        if (Math.Abs(now - timestampMs) > windowMs)
        {
            return $"timestamp {timestampMs} outside the replay window of {Window.TotalSeconds}s";
        }
        if (now - Interlocked.Read(ref _lastPruneMs) > windowMs)
        {
            Interlocked.Exchange(ref _lastPruneMs, now);
            foreach (var (seenKey, seenAt) in _seen)
            {
                if (now - seenAt > 2 * windowMs)
                {
                    _seen.TryRemove(seenKey, out _);
                }
            }
        }
        var key = senderId + "\0" + Convert.ToHexString(nonce);
        return _seen.TryAdd(key, now) ? null : "nonce already seen (replay)";
    }
}
