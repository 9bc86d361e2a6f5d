using Microsoft.Extensions.Hosting;
using Orchestrator.Minion.Jobs;
using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Beacons;

/// <summary>
/// Starts the minion's beacons once its first pillar is in (as Salt's minion sets up beacons after connecting), so a beacon
/// configured in pillar does not first run with the minion file's settings; stops them on shutdown.
/// </summary>
public sealed class BeaconService(BeaconManager manager, ModuleContext context, JobRunner jobs) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _start = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ready = jobs.Ready;
        _start = Task.Run(async () =>
        {
            try
            {
                await ready.WaitAsync(_stopping.Token).ConfigureAwait(false);
                manager.Start(context);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Stopped before the master first answered.
            }
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _start.ConfigureAwait(false);
        await manager.StopAsync().ConfigureAwait(false);
    }
}
