using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Jobs;
using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Mine;

/// <summary>
/// Salt's <c>__mine_interval</c> schedule: <c>mine.update</c> once the minion has its first pillar (where mine_functions
/// often live), then every <c>mine_interval</c> minutes; nothing with <c>mine_enabled: False</c>. A failed round is logged and
/// the next one tries again.
/// </summary>
public sealed class MineService(ModuleContext context, JobRunner jobs, TimeProvider time, ILogger<MineService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>Completed rounds (tests wait on it).</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    private int _rounds;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!MineSettings.Enabled(context.Opts))
        {
            MineLog.Disabled(logger);
            return Task.CompletedTask;
        }
        var ready = jobs.Ready;
        _loop = Task.Run(() => RunAsync(ready, _stopping.Token));
        return Task.CompletedTask;
    }

    private async Task RunAsync(Task ready, CancellationToken cancellationToken)
    {
        try
        {
            await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            var interval = MineSettings.Interval(context.Opts);
            MineLog.Scheduled(logger, interval);
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                await UpdateOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task UpdateOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await context.Modules.InvokeAsync(
                "mine.update", [], new Dictionary<string, object?>(StringComparer.Ordinal), context.ForJob(null), cancellationToken).ConfigureAwait(false);
            if (!result.Success)
            {
                MineLog.UpdateFailed(logger, Shared.Data.DataTree.KeyToString(result.Return));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            MineLog.UpdateFailed(logger, e.Message);
        }
        Interlocked.Increment(ref _rounds);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }
}
