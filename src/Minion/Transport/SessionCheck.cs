namespace Orchestrator.Minion.Transport;

/// <summary>
/// When the minion next asks the master whether its session still stands: every heartbeat interval, and at once when a
/// publish the master signed cannot be opened with the minion's keys. After a master restart the new master's first
/// publish is that sign, long before the next heartbeat would tell (Salt's minion re-authenticates on it too). At most
/// one early check a second: the publishes a master re-sends to a minion that has not answered must not turn into a
/// stream of heartbeats.
/// </summary>
internal sealed class SessionCheck(TimeProvider time)
{
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _early = new(0, 1);
    private long _lastEarlyTicks = long.MinValue;

    /// <summary>Asks for a check now (ignored within a second of the last one asked for).</summary>
    /// <returns>Whether this request wakes the check.</returns>
    public bool RequestEarly()
    {
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastEarlyTicks);
        if (last != long.MinValue && now - last < MinimumGap.Ticks || Interlocked.CompareExchange(ref _lastEarlyTicks, now, last) != last)
        {
            return false;
        }
        try
        {
            _early.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is pending already.
        }
        return true;
    }

    /// <summary>Returns after <paramref name="interval"/>, or sooner when an early check was asked for.</summary>
    public async Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(interval, time, either.Token);
        var asked = _early.WaitAsync(either.Token);
        await Task.WhenAny(elapsed, asked).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        // Observe the loser's cancellation; a wake-up granted in that instant is simply used now.
        await Task.WhenAll(elapsed, asked).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
