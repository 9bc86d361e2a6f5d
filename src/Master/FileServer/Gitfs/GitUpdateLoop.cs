using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// The background update of one git role (gitfs, git_pillar): a first fetch as the master starts, before it serves
/// minions (so the first file or pillar a minion gets is already from git), then one every interval; each round fires
/// the role's update event. A failing round is logged and the loop goes on.
/// </summary>
public abstract class GitUpdateLoop(TimeProvider time, EventBus events, ILogger logger) : BackgroundService
{
    /// <summary>Whether the role has remotes to fetch.</summary>
    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    protected abstract string Role { get; }

    protected abstract string Tag { get; }

    /// <summary>
    /// Whether the master waits for the first fetch before it serves: git_pillar does, as Salt's master (a pillar compiled
    /// without it would be wrong, not just late); gitfs fetches in the background, so a slow remote cannot hold the start.
    /// </summary>
    protected abstract bool FetchBeforeServing { get; }

    protected abstract Task<IReadOnlyList<GitfsUpdateResult>> FetchAsync(CancellationToken cancellationToken);

    /// <summary>Fetches every remote and fires the role's update event with what each did; the runners' way too.</summary>
    public async Task<IReadOnlyList<GitfsUpdateResult>> UpdateAndFireAsync(CancellationToken cancellationToken)
    {
        var results = await FetchAsync(cancellationToken).ConfigureAwait(false);
        events.Publish(Tag, GitfsUpdateResult.EventData(Role, results));
        return results;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled && FetchBeforeServing)
        {
            await RoundAsync(cancellationToken).ConfigureAwait(false);
        }
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Enabled && !FetchBeforeServing)
        {
            await RoundAsync(stoppingToken).ConfigureAwait(false);
        }
        while (Enabled && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RoundAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Each remote's failure is in its result and logged by the fetch; this catches what is not a remote's.
            await UpdateAndFireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            GitfsLog.LoopFailed(logger, e, Role, Interval.TotalSeconds);
        }
    }
}
