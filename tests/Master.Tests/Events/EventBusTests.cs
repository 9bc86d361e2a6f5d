using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Events;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Events;

public class EventBusTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));

    private static Dictionary<string, object?> Data(long n) => new() { ["n"] = n };

    [Fact]
    public void Publish_MatchingFilter_DeliversEventWithTimestamp()
    {
        var bus = new EventBus(_time);
        using var subscription = bus.Subscribe(tag => tag.StartsWith("salt/job/", StringComparison.Ordinal));

        bus.Publish("salt/job/1/new", Data(1));

        var e = Assert.Single(subscription.Drain());
        Assert.Equal("salt/job/1/new", e.Tag);
        Assert.Equal(1L, e.Data["n"]);
        Assert.Equal(_time.GetUtcNow(), e.Timestamp);
    }

    [Fact]
    public void Publish_NonMatchingFilter_NotDelivered()
    {
        var bus = new EventBus(_time);
        using var jobs = bus.Subscribe(tag => tag.StartsWith("salt/job/", StringComparison.Ordinal));
        using var all = bus.Subscribe(_ => true);

        bus.Publish("salt/auth", Data(1));

        Assert.Empty(jobs.Drain());
        Assert.Single(all.Drain());
    }

    [Fact]
    public void Publish_Several_DeliveredInOrder()
    {
        var bus = new EventBus(_time);
        using var subscription = bus.Subscribe(_ => true);

        for (var i = 1; i <= 3; i++)
        {
            bus.Publish($"t/{i}", Data(i));
        }

        Assert.Equal(["t/1", "t/2", "t/3"], subscription.Drain().Select(e => e.Tag));
    }

    [Fact]
    public void Publish_SubscriptionFull_DropsOldest()
    {
        var bus = new EventBus(_time);
        using var subscription = bus.Subscribe(_ => true, capacity: 2);

        for (var i = 1; i <= 5; i++)
        {
            bus.Publish($"t/{i}", Data(i));
        }

        Assert.Equal(["t/4", "t/5"], subscription.Drain().Select(e => e.Tag));
        Assert.Equal(3, subscription.Dropped);
    }

    [Fact]
    public void Publish_SlowSubscriber_DoesNotAffectOthers()
    {
        var bus = new EventBus(_time);
        using var slow = bus.Subscribe(_ => true, capacity: 1);
        using var fast = bus.Subscribe(_ => true);

        bus.Publish("t/1", Data(1));
        bus.Publish("t/2", Data(2));

        Assert.Equal(["t/2"], slow.Drain().Select(e => e.Tag));
        Assert.Equal(["t/1", "t/2"], fast.Drain().Select(e => e.Tag));
    }

    [Fact]
    public void Publish_BeforeSubscribe_NotReplayed()
    {
        var bus = new EventBus(_time);
        bus.Publish("t/early", Data(0));

        using var subscription = bus.Subscribe(_ => true);

        Assert.Empty(subscription.Drain());
    }

    [Fact]
    public void Dispose_StopsDeliveryAndCompletesReader()
    {
        var bus = new EventBus(_time);
        var subscription = bus.Subscribe(_ => true);
        bus.Publish("t/1", Data(1));

        subscription.Dispose();
        bus.Publish("t/2", Data(2));

        Assert.Equal(["t/1"], subscription.Drain().Select(e => e.Tag));
        Assert.True(subscription.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Dispose_OneSubscription_OthersKeepReceiving()
    {
        var bus = new EventBus(_time);
        var first = bus.Subscribe(_ => true);
        using var second = bus.Subscribe(_ => true);

        first.Dispose();
        bus.Publish("t/1", Data(1));

        Assert.Single(second.Drain());
    }

    [Fact]
    public void Dispose_Twice_DoesNotThrow()
    {
        var bus = new EventBus(_time);
        var subscription = bus.Subscribe(_ => true);

        subscription.Dispose();
        var error = Record.Exception(subscription.Dispose);

        Assert.Null(error);
    }
}
