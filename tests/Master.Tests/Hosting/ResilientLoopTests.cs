using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.Tests.Hosting;

public class ResilientLoopTests
{
    private sealed class CountingLogger : ILogger
    {
        public int Errors;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error && exception is not null)
            {
                Interlocked.Increment(ref Errors);
            }
        }
    }

    [Fact]
    public async Task FailingIterations_AreLogged_AndTheLoopRunsAgainAfterBackOff()
    {
        var time = new FakeTimeProvider();
        var logger = new CountingLogger();
        var runs = 0;
        using var stop = new CancellationTokenSource();

        var loop = ResilientLoop.RunAsync("flaky", _ => ++runs <= 2 ? throw new IOException("disk full") : Task.CompletedTask, time, logger, stop.Token);
        await Testing.Poll.UntilAsync(() => logger.Errors == 1, "first failure logged");
        time.Advance(ResilientLoop.BackOff(0));
        await Testing.Poll.UntilAsync(() => logger.Errors == 2, "second failure logged");
        time.Advance(ResilientLoop.BackOff(1));
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3, runs);
        Assert.Equal(2, logger.Errors);
    }

    [Fact]
    public async Task Cancellation_EndsTheLoopDuringItsBackOff()
    {
        var time = new FakeTimeProvider();
        var logger = new CountingLogger();
        using var stop = new CancellationTokenSource();

        var loop = ResilientLoop.RunAsync("broken", _ => throw new InvalidOperationException("always"), time, logger, stop.Token);
        await Testing.Poll.UntilAsync(() => logger.Errors == 1, "failure logged");
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(loop.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 8)]
    [InlineData(6, 60)]
    [InlineData(40, 60)]
    public void BackOff_DoublesUpToAMinute(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ResilientLoop.BackOff(failures));
    }
}
