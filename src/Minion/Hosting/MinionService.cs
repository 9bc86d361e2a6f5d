using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Jobs;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Transport;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Minion.Hosting;

/// <summary>Runs the minion: connects, announces itself with its grains, delivers buffered returns, and runs published jobs.</summary>
public sealed class MinionService(
    MinionOptions options, MasterConnection connection, JobRunner jobs, ModuleContext context, TimeProvider time,
    ILogger<MinionService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private Task? _flusher;
    private readonly TaskCompletionSource _pillarLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.Context = context;
        jobs.Ready = _pillarLoaded.Task;
        connection.OnJob = jobs.HandlePublishAsync;
        connection.OnAuthenticated = OnAuthenticatedAsync;
        _loop = connection.RunAsync(_stopping.Token);
        _flusher = FlushPeriodicallyAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task OnAuthenticatedAsync(CancellationToken cancellationToken)
    {
        await connection.RequestAsync(MessageType.MinionStart, WireCodec.Serialize(new MinionStart { Grains = context.Grains }),
            options.AuthTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            if (context.PillarSource is { } pillarSource)
            {
                context.ReplacePillar(await pillarSource.GetPillarAsync("base", cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            // Even a failed fetch releases waiting jobs: they report the pillar problem themselves.
            _pillarLoaded.TrySetResult();
        }
        _ = jobs.FlushOutboxAsync(cancellationToken);
    }

    private async Task FlushPeriodicallyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!connection.IsAuthenticated)
                {
                    continue;
                }
                try
                {
                    await jobs.FlushOutboxAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The returns stay in the outbox; the next tick tries again.
                    MinionLog.LoopFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        MinionLog.ShuttingDown(logger);
        if (connection.IsAuthenticated)
        {
            try
            {
                // Tell the master, so it shows this minion down at once rather than after presence_timeout.
                await connection.RequestAsync(MessageType.MinionStop, [], TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MasterUnreachableException or ReauthRequiredException or OperationCanceledException)
            {
                // The master is gone or slow: it notices through the missing heartbeats instead.
            }
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _loop, _flusher })
        {
            if (task is not null)
            {
                await task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
        }
        connection.Dispose();
    }
}
