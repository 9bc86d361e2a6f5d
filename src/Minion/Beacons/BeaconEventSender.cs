using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Events;

namespace Orchestrator.Minion.Beacons;

/// <summary>
/// Delivers beacon events to the master one at a time, in order. While the master cannot be reached it keeps only the newest
/// event per tag, within a fixed bound, and counts what it coalesced or dropped: a long outage costs neither memory nor a
/// flood of stale events when the master answers again.
/// </summary>
public sealed class BeaconEventSender
{
    private readonly IMinionEvents _events;
    private readonly TimeSpan _retryMin;
    private readonly TimeSpan _retryMax;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private readonly LinkedList<(string Tag, Dictionary<string, object?> Data)> _queue = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _queued;
    private long _delivered;
    private long _refused;
    private long _coalesced;
    private long _dropped;
    private long _failures;
    private bool _down;
    private long _coalescedAtDown;
    private long _droppedAtDown;
    private long _waitingTicks;

    /// <param name="events">Sends to the master.</param>
    /// <param name="retryMin">First wait after a failed send; doubles up to <paramref name="retryMax"/>.</param>
    /// <param name="retryMax">Longest wait between attempts while the master is unreachable.</param>
    /// <param name="time">Clock for the waits.</param>
    /// <param name="logger">Logs outages and refusals.</param>
    /// <param name="capacity">Most events held; the oldest go first.</param>
    public BeaconEventSender(IMinionEvents events, TimeSpan retryMin, TimeSpan retryMax, TimeProvider time, ILogger logger, int capacity = 1000)
    {
        _events = events;
        _retryMin = retryMin;
        _retryMax = retryMax < retryMin ? retryMin : retryMax;
        _time = time;
        _logger = logger;
        _capacity = Math.Max(1, capacity);
    }

    public BeaconEventStats Stats
    {
        get
        {
            lock (_lock)
            {
                return new BeaconEventStats(_queued, _delivered, _refused, _coalesced, _dropped, _failures, !_down);
            }
        }
    }

    /// <summary>Events waiting to be sent.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>How long the sender is waiting before it tries the master again; zero when it is not.</summary>
    public TimeSpan RetryWait => TimeSpan.FromTicks(Volatile.Read(ref _waitingTicks));

    /// <summary>Queues an event; the dictionary then belongs to the sender.</summary>
    public void Enqueue(string tag, Dictionary<string, object?> data)
    {
        lock (_lock)
        {
            _queued++;
            if (_down && Find(tag) is { } older)
            {
                _queue.Remove(older);
                _coalesced++;
            }
            if (_queue.Count >= _capacity)
            {
                _queue.RemoveFirst();
                _dropped++;
            }
            _queue.AddLast((tag, data));
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Sends queued events until cancelled; a failed send waits and retries the same event.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = _retryMin;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!TryDequeue(out var next))
                {
                    await _wake.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                bool accepted;
                try
                {
                    accepted = await _events.FireMasterAsync(next.Tag, next.Data, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Failed(next, e);
                    var wait = Task.Delay(retry, _time, cancellationToken);
                    Volatile.Write(ref _waitingTicks, retry.Ticks);
                    await wait.ConfigureAwait(false);
                    Volatile.Write(ref _waitingTicks, 0);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, _retryMax.Ticks));
                    continue;
                }
                retry = _retryMin;
                Sent(next.Tag, accepted);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down; what is still queued is lost, as Salt's beacon events are.
        }
    }

    private bool TryDequeue(out (string Tag, Dictionary<string, object?> Data) next)
    {
        lock (_lock)
        {
            if (_queue.First is { } first)
            {
                next = first.Value;
                _queue.RemoveFirst();
                return true;
            }
        }
        next = default;
        return false;
    }

    private void Failed((string Tag, Dictionary<string, object?> Data) item, Exception error)
    {
        bool entered;
        lock (_lock)
        {
            _failures++;
            entered = !_down;
            if (entered)
            {
                _down = true;
                _coalescedAtDown = _coalesced;
                _droppedAtDown = _dropped;
                CollapseByTag();
            }
            // A newer event with the same tag supersedes the one that failed.
            if (Find(item.Tag) is not null)
            {
                _coalesced++;
            }
            else if (_queue.Count >= _capacity)
            {
                _dropped++;
            }
            else
            {
                _queue.AddFirst(item);
            }
        }
        if (entered)
        {
            BeaconLog.MasterUnreachable(_logger, error.Message);
        }
    }

    private void Sent(string tag, bool accepted)
    {
        long coalesced = 0;
        long dropped = 0;
        bool recovered;
        lock (_lock)
        {
            if (accepted)
            {
                _delivered++;
            }
            else
            {
                _refused++;
            }
            recovered = _down;
            if (recovered)
            {
                _down = false;
                coalesced = _coalesced - _coalescedAtDown;
                dropped = _dropped - _droppedAtDown;
            }
        }
        if (recovered)
        {
            BeaconLog.MasterReachable(_logger, coalesced, dropped);
        }
        if (!accepted)
        {
            BeaconLog.EventRefused(_logger, tag);
        }
    }

    /// <summary>Keeps only the newest queued event of each tag, in the order of those newest events.</summary>
    private void CollapseByTag()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var node = _queue.Last; node is not null;)
        {
            var previous = node.Previous;
            if (!seen.Add(node.Value.Tag))
            {
                _queue.Remove(node);
                _coalesced++;
            }
            node = previous;
        }
    }

    private LinkedListNode<(string Tag, Dictionary<string, object?> Data)>? Find(string tag)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Tag == tag)
            {
                return node;
            }
        }
        return null;
    }
}
