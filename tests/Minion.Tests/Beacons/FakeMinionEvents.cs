using Orchestrator.Minion.Events;

namespace Orchestrator.Minion.Tests.Beacons;

/// <summary>Records events sent to the master and fired locally; the master can be made unreachable or refusing.</summary>
public sealed class FakeMinionEvents : IMinionEvents
{
    private readonly Lock _lock = new();
    private readonly List<(string Prefix, Action<string, Dictionary<string, object?>> Handler)> _listeners = [];

    public List<(string Tag, Dictionary<string, object?> Data)> Master { get; } = [];

    public List<(string Tag, Dictionary<string, object?> Data)> Local { get; } = [];

    /// <summary>When set, FireMasterAsync throws it (the master is unreachable).</summary>
    public Exception? Unreachable { get; set; }

    /// <summary>Tags the master refuses.</summary>
    public Func<string, bool> Refuses { get; set; } = _ => false;

    public int Attempts { get; private set; }

    public Task<bool> FireMasterAsync(string tag, Dictionary<string, object?> data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Attempts++;
            if (Unreachable is { } error)
            {
                throw error;
            }
            if (Refuses(tag))
            {
                return Task.FromResult(false);
            }
            Master.Add((tag, data));
            return Task.FromResult(true);
        }
    }

    public void FireLocal(string tag, Dictionary<string, object?> data)
    {
        List<(string Prefix, Action<string, Dictionary<string, object?>> Handler)> listeners;
        lock (_lock)
        {
            Local.Add((tag, data));
            listeners = [.. _listeners];
        }
        foreach (var (prefix, handler) in listeners.Where(l => tag.StartsWith(l.Prefix, StringComparison.Ordinal)))
        {
            handler(tag, data);
        }
    }

    public IDisposable Listen(string tagPrefix, Action<string, Dictionary<string, object?>> handler)
    {
        var entry = (tagPrefix, handler);
        lock (_lock)
        {
            _listeners.Add(entry);
        }
        return new Unlisten(() =>
        {
            lock (_lock)
            {
                _listeners.Remove(entry);
            }
        });
    }

    public List<(string Tag, Dictionary<string, object?> Data)> MasterSnapshot()
    {
        lock (_lock)
        {
            return [.. Master];
        }
    }

    private sealed class Unlisten(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
