using System.Threading.Channels;

namespace Orchestrator.Master.Events;

/// <summary>A bounded stream of bus events matching a filter; a slow reader loses the oldest events, never blocks the bus.</summary>
public sealed class EventSubscription : IDisposable
{
    private readonly Channel<MasterEvent> _channel;
    private readonly Action<EventSubscription> _unsubscribe;
    private long _dropped;

    internal EventSubscription(Func<string, bool> filter, int capacity, Action<EventSubscription> unsubscribe)
    {
        Filter = filter;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<MasterEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
    }

    internal Func<string, bool> Filter { get; }

    public ChannelReader<MasterEvent> Reader => _channel.Reader;

    /// <summary>Events this subscription lost because its reader fell a whole buffer behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(MasterEvent e) => _channel.Writer.TryWrite(e);

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
