using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Transport;

namespace Orchestrator.Minion.Tests.Transport;

public sealed class SessionCheckTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task WaitAsync_EarlyRequest_EndsTheWaitBeforeTheInterval()
    {
        var check = new SessionCheck(_time);
        var wait = check.WaitAsync(TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.False(wait.IsCompleted);

        Assert.True(check.RequestEarly());

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WaitAsync_NoRequest_EndsAfterTheInterval()
    {
        var check = new SessionCheck(_time);
        var wait = check.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void RequestEarly_WithinASecondOfTheLast_IsIgnored()
    {
        var check = new SessionCheck(_time);

        Assert.True(check.RequestEarly());
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.False(check.RequestEarly());
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(check.RequestEarly());
    }

    [Fact]
    public async Task WaitAsync_RequestBeforeTheWait_EndsTheNextWaitAtOnce()
    {
        var check = new SessionCheck(_time);
        check.RequestEarly();

        await check.WaitAsync(TimeSpan.FromMinutes(10), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var check = new SessionCheck(_time);
        using var stop = new CancellationTokenSource();
        var wait = check.WaitAsync(TimeSpan.FromMinutes(10), stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
