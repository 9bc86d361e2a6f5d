using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Auth;
using Orchestrator.Master.Events;
using Orchestrator.Master.Ipc;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Reactor;
using Orchestrator.Master.Transport;

namespace Orchestrator.Master.Hosting;

/// <summary>Runs the master: sockets, request workers, the re-send loop, key rotation, job cache pruning and the reactor.</summary>
public sealed class MasterService(
    MasterOptions options, MasterTransport transport, RequestProcessor requests, JobDispatcher jobs, IpcServer ipc,
    SessionKeyring keyring, IJobCache cache, MinionDirectory minions, ReturnWriter returns, PresenceWatcher presence, ReactorEngine reactor, TimeProvider time, ILogger<MasterService> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    /// <summary>Binds everything before the host reports started, so a caller may connect as soon as StartAsync returns.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed before the sockets open, so no event of the start-up is missed.
        reactor.Start();
        // Before the sockets open, so a minion reconnecting at once is caught up on the jobs of the previous run.
        jobs.RestoreUnexpired();
        transport.Start();
        ipc.Start();
        var token = _stopping.Token;
        for (var i = 0; i < options.WorkerThreads; i++)
        {
            _loops.Add(Task.Run(() => requests.RunWorkerAsync(token), token));
        }
        _loops.Add(Loop(jobs.RunResendLoopAsync, token));
        _loops.Add(Loop(ipc.RunAsync, token));
        _loops.Add(Loop(RotateAsync, token));
        _loops.Add(Loop(PruneAsync, token));
        _loops.Add(Loop(FlushPresenceAsync, token));
        _loops.Add(Loop(returns.RunAsync, token));
        _loops.Add(Loop(presence.RunAsync, token));
        _loops.Add(Loop(reactor.RunAsync, token));
        return Task.CompletedTask;
    }

    private Task Loop(Func<CancellationToken, Task> body, CancellationToken token) =>
        Task.Run(() => ResilientLoop.RunAsync(body.Method.Name, body, time, logger, token), token);

    private async Task RotateAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.SessionKeyRotation, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            MasterLog.SessionRotated(logger, keyring.Rotate(), "scheduled");
        }
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10), time);
        do
        {
            cache.Prune(time.GetUtcNow() - TimeSpan.FromHours(options.KeepJobsHours));
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task FlushPresenceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            minions.Flush();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        MasterLog.ShuttingDown(logger);
        await _stopping.CancelAsync().ConfigureAwait(false);
        ipc.Stop();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Workers blocked on I/O end with the process.
        }
        transport.Dispose();
        minions.Flush();
    }
}
