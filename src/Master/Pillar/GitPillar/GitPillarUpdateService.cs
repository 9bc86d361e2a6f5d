using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>Fetches the git_pillar remotes once at master start; later fetches are <c>git_pillar.update</c>'s.</summary>
public sealed class GitPillarUpdateService(GitPillarBackend gitPillar, ILogger<GitPillarUpdateService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (gitPillar.Remotes.Count == 0)
        {
            return;
        }
        try
        {
            // Each remote's failure is in its result and logged by the fetch; this catches what is not a remote's.
            await gitPillar.UpdateAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            GitPillarLog.StartFetchFailed(logger, e);
        }
    }
}
