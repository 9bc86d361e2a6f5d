using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Jobs;
using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Scheduling;

/// <summary>
/// Runs the minion's schedule once its first pillar is in (so pillar jobs are there from the start), evaluating it every
/// loop interval on the injected clock; an iteration that fails is logged and the loop goes on.
/// </summary>
public sealed class ScheduleService(ScheduleManager manager, ModuleContext context, JobRunner jobs, TimeProvider time, ILogger<ScheduleService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await jobs.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
            manager.Start(context);
            using var timer = new PeriodicTimer(manager.LoopInterval, time);
            do
            {
                try
                {
                    manager.Tick(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ScheduleLog.EvaluationFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            manager.Stop();
        }
    }
}
