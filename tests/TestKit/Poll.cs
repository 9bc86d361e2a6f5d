namespace Orchestrator.Testing;

/// <summary>
/// Waits for a condition that no event announces (a row in the job cache, a file on disk); the timeout message names the phase.
/// </summary>
public static class Poll
{
    public static Task UntilAsync(Func<bool> condition, string phase, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), phase, timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, string phase, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {phase}");
            }
            await Task.Delay(50);
        }
    }
}
