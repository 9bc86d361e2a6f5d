using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Transport;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Minion.Events;

/// <summary>
/// The minion's events: master-bound events go sealed over the request connection; local events go to in-process listeners,
/// each called on the firing thread and isolated from the others' failures.
/// </summary>
public sealed class MinionEventBus(MasterConnection? connection, TimeSpan timeout, ILogger<MinionEventBus> logger) : IMinionEvents
{
    private readonly Lock _lock = new();
    private (string Prefix, Action<string, Dictionary<string, object?>> Handler)[] _listeners = [];

    public async Task<bool> FireMasterAsync(string tag, Dictionary<string, object?> data, CancellationToken cancellationToken)
    {
        if (connection is null)
        {
            throw new InvalidOperationException("no master connection (orch call --local has no master to send events to)");
        }
        var (kind, _) = await connection.RequestAsync(
            MessageType.EventFire, WireCodec.Serialize(new EventFire { Tag = tag, Data = data }), timeout, cancellationToken)
            .ConfigureAwait(false);
        return kind == MessageType.Ack;
    }

    public void FireLocal(string tag, Dictionary<string, object?> data)
    {
        foreach (var (prefix, handler) in Volatile.Read(ref _listeners))
        {
            if (!tag.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                handler(tag, data);
            }
            catch (Exception e)
            {
                MinionLog.LocalEventHandlerFailed(logger, e, tag);
            }
        }
    }

    public IDisposable Listen(string tagPrefix, Action<string, Dictionary<string, object?>> handler)
    {
        var entry = (tagPrefix, handler);
        lock (_lock)
        {
            _listeners = [.. _listeners, entry];
        }
        return new Unlisten(() =>
        {
            lock (_lock)
            {
                _listeners = _listeners.Where(l => l != entry).ToArray();
            }
        });
    }

    private sealed class Unlisten(Action remove) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                remove();
            }
        }
    }
}
