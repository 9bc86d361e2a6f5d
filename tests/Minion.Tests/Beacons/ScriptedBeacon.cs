using Orchestrator.Minion.Beacons;

namespace Orchestrator.Minion.Tests.Beacons;

/// <summary>A beacon whose polls return what the test queued, or throw; records polls and disposals.</summary>
[Beacon("scripted")]
public sealed class ScriptedBeacon : IBeacon
{
    public string Doc => "Test beacon.";

    public Queue<Func<IReadOnlyList<Dictionary<string, object?>>>> Script { get; } = new();

    public int Polls;

    public int Created;

    public int Disposed;

    public List<BeaconConfig> Configs { get; } = [];

    public IBeaconWatcher Create(BeaconConfig config)
    {
        if (config.Has("fail_create"))
        {
            throw config.Error("fail_create", "was asked for");
        }
        Interlocked.Increment(ref Created);
        lock (Configs)
        {
            Configs.Add(config);
        }
        return new Watcher(this);
    }

    private sealed class Watcher(ScriptedBeacon beacon) : IBeaconWatcher, IDisposable
    {
        public Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref beacon.Polls);
            Func<IReadOnlyList<Dictionary<string, object?>>>? next;
            lock (beacon.Script)
            {
                beacon.Script.TryDequeue(out next);
            }
            return Task.FromResult(next?.Invoke() ?? BeaconContext.None);
        }

        public void Dispose() => Interlocked.Increment(ref beacon.Disposed);
    }
}
