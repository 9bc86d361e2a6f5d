using Orchestrator.Master.Events;

namespace Orchestrator.Testing;

/// <summary>Reading what a bus subscription holds right now, for assertions.</summary>
public static class EventSubscriptionExtensions
{
    /// <summary>Takes every event queued on the subscription now, oldest first, without waiting.</summary>
    public static List<MasterEvent> Drain(this EventSubscription subscription)
    {
        var events = new List<MasterEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            events.Add(e);
        }
        return events;
    }
}
