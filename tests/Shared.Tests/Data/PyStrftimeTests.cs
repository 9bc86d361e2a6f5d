using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Tests.Data;

public sealed class PyStrftimeTests
{
    private static readonly DateTimeOffset When = new(2026, 3, 7, 14, 5, 9, TimeSpan.FromHours(1));

    [Theory]
    [InlineData("%y-%m-%d_%H:%M:%S", "26-03-07_14:05:09")]
    [InlineData("%A, %d. %B %Y %I:%M%p", "Saturday, 07. March 2026 02:05PM")]
    [InlineData("%a %b %e %j %%", "Sat Mar  7 066 %")]
    [InlineData("%F %T", "2026-03-07 14:05:09")]
    [InlineData("%z|%Z", "|")]
    [InlineData("%Q", "%Q")]
    public void Format_NaiveLocalTime(string format, string expected) => Assert.Equal(expected, PyStrftime.Format(When, format));

    [Fact]
    public void Format_AwareTime_PrintsOffset() => Assert.Equal("+0100 CET", PyStrftime.Format(When, "%z %Z", "CET"));
}
