using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Hosting;

/// <summary>
/// Runs a background loop for the daemon's lifetime: an iteration that throws (a full disk, a locked database) is logged
/// and the loop starts again after a back-off of 1 s doubling to 60 s; it never ends silently.
/// </summary>
public static class ResilientLoop
{
    public static async Task RunAsync(string name, Func<CancellationToken, Task> body, TimeProvider time, ILogger logger, CancellationToken token)
    {
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await body(token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = BackOff(failures++);
                MasterLog.LoopFailed(logger, e, name, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>1 s, 2 s, 4 s ... up to 60 s after the given number of earlier failures.</summary>
    public static TimeSpan BackOff(int failures) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(failures, 6))));
}
