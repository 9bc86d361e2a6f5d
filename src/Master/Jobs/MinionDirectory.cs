using System.Collections.Concurrent;

namespace Orchestrator.Master.Jobs;

/// <summary>
/// What the master knows of each minion (grains, last contact), in memory. Grains are written through to the job cache;
/// last contact changes with every request, so it is kept here and flushed in batches rather than written per request.
/// </summary>
public sealed class MinionDirectory
{
    private readonly IJobCache _cache;
    private readonly ConcurrentDictionary<string, Dictionary<string, object?>> _grains = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unflushed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _departed = new(StringComparer.Ordinal);

    public MinionDirectory(IJobCache cache)
    {
        _cache = cache;
        foreach (var minion in cache.ListMinions())
        {
            _grains[minion.Id] = minion.Grains;
            if (minion.LastSeen is { } seen)
            {
                _lastSeen[minion.Id] = seen;
            }
        }
    }

    public void Touch(string id, DateTimeOffset seen)
    {
        _lastSeen[id] = seen;
        _unflushed[id] = seen;
    }

    public void SetGrains(string id, Dictionary<string, object?> grains)
    {
        _grains[id] = grains;
        _cache.SaveGrains(id, grains);
    }

    public Dictionary<string, object?> Grains(string id) =>
        _grains.TryGetValue(id, out var grains) ? grains : new Dictionary<string, object?>(StringComparer.Ordinal);

    public DateTimeOffset? LastSeen(string id) => _lastSeen.TryGetValue(id, out var seen) ? seen : null;

    /// <summary>
    /// A minion said it is stopping: it is down from now until it starts again (<see cref="Arrive"/>), whatever its last
    /// requests on the way out (a heartbeat, a beacon event) say.
    /// </summary>
    public void Depart(string id) => _departed[id] = 0;

    /// <summary>A minion (re)started and announced itself.</summary>
    public void Arrive(string id) => _departed.TryRemove(id, out _);

    /// <summary>
    /// Whether a minion is up: heard from within <paramref name="timeout"/> (its heartbeats keep it so) and not stopped since.
    /// manage.up/down, presence events and the CLI's [Not connected] all decide by this.
    /// </summary>
    public bool IsUp(string id, DateTimeOffset now, TimeSpan timeout) =>
        !_departed.ContainsKey(id) && LastSeen(id) is { } seen && now - seen <= timeout;

    public void Forget(string id)
    {
        _grains.TryRemove(id, out _);
        _lastSeen.TryRemove(id, out _);
        _unflushed.TryRemove(id, out _);
        _cache.ForgetMinion(id);
    }

    /// <summary>Writes the last-contact times that changed since the previous flush.</summary>
    public void Flush()
    {
        var batch = new List<(string Id, DateTimeOffset Seen)>();
        foreach (var id in _unflushed.Keys)
        {
            if (_unflushed.TryRemove(id, out var seen))
            {
                batch.Add((id, seen));
            }
        }
        if (batch.Count > 0)
        {
            _cache.TouchMinions(batch);
        }
    }
}
