using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>Fetches the gitfs remotes at start and every <c>gitfs_update_interval</c>; a failing round is logged and the loop goes on.</summary>
public sealed class GitfsUpdateService(MasterOptions options, GitfsBackend gitfs, EventBus events, TimeProvider time, ILogger<GitfsUpdateService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Gitfs.Enabled || options.Gitfs.Remotes.Count == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FileserverRunner.UpdateAndFireAsync(gitfs, events, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                GitfsLog.LoopFailed(logger, e, options.Gitfs.UpdateInterval.TotalSeconds);
            }
            try
            {
                await Task.Delay(options.Gitfs.UpdateInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
