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

    /// <summary>
    /// Puts an event on the bus. Its data gets Salt's <c>_stamp</c> (UTC, ISO 8601 to the microsecond, no zone) unless it has
    /// one; the dictionary then belongs to the bus.
    /// </summary>
    public void Publish(string tag, Dictionary<string, object?> data)
    {
        var now = time.GetUtcNow();
        data.TryAdd("_stamp", Stamp(now));
        var e = new MasterEvent(tag, data, now);
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Filter(tag))
            {
                subscription.Offer(e);
            }
        }
    }

    /// <summary>Salt's <c>_stamp</c> format: <c>2026-12-01T10:23:23.123456</c>.</summary>
    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);

    private void Remove(EventSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
        }
    }
}
