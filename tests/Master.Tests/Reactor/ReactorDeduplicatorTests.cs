using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Reactor;

namespace Orchestrator.Master.Tests.Reactor;

public class ReactorDeduplicatorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IsDuplicate_SameRuleAndActionWithinWindow_True()
    {
        var dedup = new ReactorDeduplicator(TimeSpan.FromSeconds(5), _time);
        Assert.False(dedup.IsDuplicate("rule", "action"));
        dedup.Record("rule", "action");
        _time.Advance(TimeSpan.FromSeconds(4.9));

        Assert.True(dedup.IsDuplicate("rule", "action"));
    }

    [Fact]
    public void IsDuplicate_AfterWindow_False()
    {
        var dedup = new ReactorDeduplicator(TimeSpan.FromSeconds(5), _time);
        dedup.Record("rule", "action");

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(dedup.IsDuplicate("rule", "action"));
    }

    [Fact]
    public void IsDuplicate_OtherRuleOrOtherAction_False()
    {
        var dedup = new ReactorDeduplicator(TimeSpan.FromSeconds(5), _time);
        dedup.Record("rule", "action");

        Assert.False(dedup.IsDuplicate("other rule", "action"));
        Assert.False(dedup.IsDuplicate("rule", "other action"));
    }

    [Fact]
    public void ZeroWindow_NeverDuplicate()
    {
        var dedup = new ReactorDeduplicator(TimeSpan.Zero, _time);
        dedup.Record("rule", "action");

        Assert.False(dedup.Enabled);
        Assert.False(dedup.IsDuplicate("rule", "action"));
    }

    [Fact]
    public void Record_Again_ExtendsTheWindow()
    {
        var dedup = new ReactorDeduplicator(TimeSpan.FromSeconds(5), _time);
        dedup.Record("rule", "action");
        _time.Advance(TimeSpan.FromSeconds(4));
        dedup.Record("rule", "action");

        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.True(dedup.IsDuplicate("rule", "action"));
    }
}
