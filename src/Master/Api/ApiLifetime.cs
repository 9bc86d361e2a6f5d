using System.Collections.Concurrent;

namespace Orchestrator.Master.Api;

/// <summary>
/// What outlives a request: <c>runner_async</c> calls and open event streams. <see cref="Stopping"/> fires when the master
/// stops, so streams end and background runners are cancelled instead of holding the shutdown.
/// </summary>
public sealed class ApiLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();

    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Runs <paramref name="work"/> in the background until it ends or the API stops.</summary>
    public void Run(Func<CancellationToken, Task> work)
    {
        var task = Task.Run(() => work(_stopping.Token));
        _background[task] = 0;
        task.ContinueWith(t => _background.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Cancels streams and background work and waits (bounded) for the background work to end.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_background.Keys).WaitAsync(wait).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // What does not stop in time ends with the process.
        }
    }

    public void Dispose() => _stopping.Dispose();
}
