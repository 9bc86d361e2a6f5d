using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Hosting;

namespace Orchestrator.Minion.Tests.Hosting;

public sealed class MemoryTrimServiceTests
{
    /// <summary>The service on a fake clock, a fake allocation counter and a trim that counts its calls (the first may throw).</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly FakeTimeProvider _time = new();
        private long _allocated;
        private int _trims;

        public Harness(bool firstTrimFails = false)
        {
            Service = new MemoryTrimService(_time, NullLogger<MemoryTrimService>.Instance, () => Interlocked.Read(ref _allocated), () =>
            {
                if (Interlocked.Increment(ref _trims) == 1 && firstTrimFails)
                {
                    throw new InvalidOperationException("the first trim fails");
                }
            });
        }

        public MemoryTrimService Service { get; }

        public int TrimCalls => Volatile.Read(ref _trims);

        // BackgroundService runs ExecuteAsync up to its first wait inside StartAsync, so the timer exists on return.
        public Task StartAsync() => Service.StartAsync(CancellationToken.None);

        /// <summary>One check interval in which <paramref name="bytes"/> were allocated, once the service has looked at it.</summary>
        public async Task IntervalAsync(long bytes)
        {
            var checks = Service.Checks;
            Interlocked.Add(ref _allocated, bytes);
            _time.Advance(MemoryTrimService.Interval);
            for (var i = 0; Service.Checks == checks; i++)
            {
                Assert.True(i < 1000, "the service did not look at the interval");
                await Task.Delay(10);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Service.StopAsync(CancellationToken.None);
            Service.Dispose();
        }
    }

    [Fact]
    public async Task StartUpCountsAsBusy_TheFirstQuietCheckTrims()
    {
        await using var harness = new Harness();
        await harness.StartAsync();

        await harness.IntervalAsync(4096);

        Assert.Equal(1, harness.TrimCalls);
    }

    [Fact]
    public async Task AStartUpStillBusyAtTheFirstCheck_TrimsAtTheFirstQuietOne()
    {
        await using var harness = new Harness();
        await harness.StartAsync();

        await harness.IntervalAsync(20 * MemoryTrimService.BusyBytes);
        Assert.Equal(0, harness.TrimCalls);
        await harness.IntervalAsync(4096);

        Assert.Equal(1, harness.TrimCalls);
    }

    [Fact]
    public async Task ABusyInterval_FollowedByAQuietOne_TrimsOnce()
    {
        await using var harness = new Harness();
        await harness.StartAsync();
        await harness.IntervalAsync(0);

        await harness.IntervalAsync(50 * MemoryTrimService.BusyBytes);
        Assert.Equal(1, harness.TrimCalls);
        await harness.IntervalAsync(1024);
        Assert.Equal(2, harness.TrimCalls);
        await harness.IntervalAsync(1024);
        await harness.IntervalAsync(1024);

        Assert.Equal(2, harness.TrimCalls);
        Assert.Equal(2, harness.Service.Trims);
    }

    [Fact]
    public async Task AnIdleMinion_TrimsOnlyAfterItsStart()
    {
        await using var harness = new Harness();
        await harness.StartAsync();

        for (var i = 0; i < 6; i++)
        {
            await harness.IntervalAsync(4096);
        }

        Assert.Equal(1, harness.TrimCalls);
    }

    [Fact]
    public async Task AFailingTrim_DoesNotStopTheLoop()
    {
        await using var harness = new Harness(firstTrimFails: true);
        await harness.StartAsync();

        await harness.IntervalAsync(0);
        Assert.Equal(1, harness.TrimCalls);
        await harness.IntervalAsync(10 * MemoryTrimService.BusyBytes);
        await harness.IntervalAsync(10 * MemoryTrimService.BusyBytes);
        Assert.Equal(1, harness.TrimCalls);
        await harness.IntervalAsync(0);

        Assert.Equal(2, harness.TrimCalls);
        Assert.Equal(1, harness.Service.Trims);
    }
}
