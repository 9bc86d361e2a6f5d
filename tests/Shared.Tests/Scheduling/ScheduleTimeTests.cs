using Orchestrator.Shared.Scheduling;

namespace Orchestrator.Shared.Tests.Scheduling;

public sealed class ScheduleTimeTests
{
    // Wednesday.
    private static readonly DateTimeOffset Now = new(2025, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int month, int day, int hour, int minute, int year = 2025, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Theory]
    [InlineData("5:00pm", 1, 15, 17, 0)]
    [InlineData("5pm", 1, 15, 17, 0)]
    [InlineData("5:00 PM", 1, 15, 17, 0)]
    [InlineData("12:30am", 1, 15, 0, 30)]
    [InlineData("17:45", 1, 15, 17, 45)]
    [InlineData("Monday 5:00pm", 1, 20, 17, 0)]
    [InlineData("Wednesday 8:00am", 1, 15, 8, 0)]
    [InlineData("Fri 11:00", 1, 17, 11, 0)]
    [InlineData("12/31/2025 11:59pm", 12, 31, 23, 59)]
    [InlineData("2025-03-01 14:30", 3, 1, 14, 30)]
    [InlineData("2025-03-01T14:30:00", 3, 1, 14, 30)]
    [InlineData("2025-03-01", 3, 1, 0, 0)]
    [InlineData("Dec 24 2025 6:00pm", 12, 24, 18, 0)]
    [InlineData("24 December 2025", 12, 24, 0, 0)]
    public void Parse_CommonFormsRelativeToToday(string text, int month, int day, int hour, int minute) =>
        Assert.Equal(At(month, day, hour, minute), ScheduleTime.Parse(text, Now, TimeZoneInfo.Utc));

    [Fact]
    public void Parse_OffsetIsKept() =>
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 14, 30, 0, TimeSpan.FromHours(2)), ScheduleTime.Parse("2025-03-01T14:30:00+02:00", Now, TimeZoneInfo.Utc));

    [Theory]
    [InlineData("someday")]
    [InlineData("25:00")]
    [InlineData("13pm")]
    [InlineData("")]
    [InlineData("2025-13-01 10:00")]
    public void Parse_OtherTextFailsWithTheText(string text)
    {
        var e = Assert.Throws<FormatException>(() => ScheduleTime.Parse(text, Now, TimeZoneInfo.Utc));
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseExact_PythonDirectives()
    {
        Assert.Equal(At(7, 6, 14, 30), ScheduleTime.ParseExact("2025-07-06T14:30:00", "%Y-%m-%dT%H:%M:%S", TimeZoneInfo.Utc));
        Assert.Equal(At(7, 6, 14, 30), ScheduleTime.ParseExact("6/7/25 2:30 PM", "%d/%m/%y %I:%M %p", TimeZoneInfo.Utc));
        Assert.Throws<FormatException>(() => ScheduleTime.ParseExact("2025-07-06", "%Y-%m-%dT%H:%M:%S", TimeZoneInfo.Utc));
        Assert.Throws<FormatException>(() => ScheduleTime.ParseExact("2025", "%G", TimeZoneInfo.Utc));
    }
}
