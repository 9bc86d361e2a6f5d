namespace Orchestrator.Master.Auth;

/// <summary>
/// Token buckets for the clear channel (AuthHello, AuthProof), checked before any RSA work, key-file write or log line: one
/// per connection (the ROUTER's routing id) and one for all connections' hellos together. A flood from one peer is cut to
/// the per-connection rate; a flood of hellos spread over many connections is cut to the global rate (a proof costs RSA
/// only when it answers a challenge, and challenges come only from hellos that passed); authenticated minions, whose
/// requests are sealed, never wait on either.
/// </summary>
public sealed class AuthThrottle
{
    private const int MaxTrackedConnections = 10_000;

    private readonly TimeProvider _time;
    private readonly double _globalRate;
    private readonly double _connectionRate;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Bucket> _connections = new(StringComparer.Ordinal);
    private Bucket _global;

    /// <param name="globalRate">Clear frames per second from all peers (0: unlimited); bursts of twice that pass.</param>
    /// <param name="connectionRate">Clear frames per second from one connection (0: unlimited); bursts of twice that pass.</param>
    public AuthThrottle(TimeProvider time, double globalRate, double connectionRate)
    {
        _time = time;
        _globalRate = globalRate;
        _connectionRate = connectionRate;
        _global = new Bucket(globalRate * 2, time.GetUtcNow());
    }

    /// <summary>
    /// Whether one more clear frame from <paramref name="connection"/> may be handled now; <paramref name="counted"/> frames
    /// (hellos) also spend from the global bucket.
    /// </summary>
    public bool TryAcquire(string connection, bool counted = true)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_connections.TryGetValue(connection, out var own))
            {
                if (_connections.Count >= MaxTrackedConnections)
                {
                    Forget(now);
                }
                own = new Bucket(_connectionRate * 2, now);
            }
            own = own.Refill(now, _connectionRate);
            _global = _global.Refill(now, _globalRate);
            var allowed = (_connectionRate <= 0 || own.Tokens >= 1) && (!counted || _globalRate <= 0 || _global.Tokens >= 1);
            if (allowed)
            {
                own = own with { Tokens = own.Tokens - 1 };
                if (counted)
                {
                    _global = _global with { Tokens = _global.Tokens - 1 };
                }
            }
            _connections[connection] = own;
            return allowed;
        }
    }

    /// <summary>Drops connections whose bucket is full again (idle long enough); if none is, starts afresh, bounded.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (id, bucket) in _connections.ToList())
        {
            if (bucket.Refill(now, _connectionRate).Tokens >= _connectionRate * 2)
            {
                _connections.Remove(id);
            }
        }
        if (_connections.Count >= MaxTrackedConnections)
        {
            _connections.Clear();
        }
    }

    private readonly record struct Bucket(double Tokens, DateTimeOffset Updated)
    {
        public Bucket Refill(DateTimeOffset now, double rate) =>
            rate <= 0 ? this : new Bucket(Math.Min(rate * 2, Tokens + (now - Updated).TotalSeconds * rate), now);
    }
}
