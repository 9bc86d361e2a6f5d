using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Jobs;

namespace Orchestrator.Master.Tests.Jobs;

public class JidGeneratorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 21, 46, 0, TimeSpan.Zero).AddTicks(1_234_560));

    [Fact]
    public void Next_Format_Is20DigitUtcTimeToMicrosecond()
    {
        Assert.Equal("20261122214600123456", new JidGenerator(_time).Next());
    }

    [Fact]
    public void Next_SameInstant_StrictlyIncreasing()
    {
        var generator = new JidGenerator(_time);

        var jids = Enumerable.Range(0, 5).Select(_ => generator.Next()).ToList();

        Assert.Equal(["20261122214600123456", "20261122214600123457", "20261122214600123458", "20261122214600123459", "20261122214600123460"], jids);
    }

    [Fact]
    public void Next_CarryAcrossSecond_StaysValidAndOrdered()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990));
        var generator = new JidGenerator(_time);

        var first = generator.Next();
        var second = generator.Next();

        Assert.Equal("20261231235959999999", first);
        Assert.Equal("20270101000000000000", second);
    }

    [Fact]
    public void Next_ClockGoesBack_StillIncreasing()
    {
        // FakeTimeProvider refuses to go back in time; a wall clock stepped back by NTP does not.
        var clock = new SteppableClock { Now = _time.GetUtcNow() };
        var generator = new JidGenerator(clock);
        var first = generator.Next();

        clock.Now = clock.Now.AddSeconds(-10);
        var second = generator.Next();

        Assert.True(string.CompareOrdinal(second, first) > 0, $"{second} <= {first}");
    }

    private sealed class SteppableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Next_TimeAdvances_FollowsClock()
    {
        var generator = new JidGenerator(_time);
        generator.Next();

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("20261122214700123456", generator.Next());
    }

    [Fact]
    public void Next_LocalOffsetClock_UsesUtc()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(5)));

        Assert.StartsWith("20260101070000", new JidGenerator(time).Next());
    }
}
