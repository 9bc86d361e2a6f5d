namespace Orchestrator.Master.Events;

/// <summary>The master's in-process event bus: every job, return, auth and minion event passes through it.</summary>
public sealed class EventBus(TimeProvider time)
{
    private readonly Lock _lock = new();
    private EventSubscription[] _subscriptions = [];

    public EventSubscription Subscribe(Func<string, bool> filter, int capacity = 10_000)
    {
        var subscription = new EventSubscription(filter, capacity, Remove);
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
        return subscription;
    }

    public void Publish(string tag, Dictionary<string, object?> data)
    {
        var e = new MasterEvent(tag, data, time.GetUtcNow());
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Filter(tag))
            {
                subscription.Offer(e);
            }
        }
    }

    private void Remove(EventSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
        }
    }
}
