using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>
/// Fetches the git_pillar remotes once as the master starts, before it serves minions (as Salt's master does), so the
/// first pillar a minion gets already has them; later fetches are <c>git_pillar.update</c>'s.
/// </summary>
public sealed class GitPillarUpdateService(GitPillarBackend gitPillar, ILogger<GitPillarUpdateService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (gitPillar.Remotes.Count == 0)
        {
            return;
        }
        try
        {
            // Each remote's failure is in its result and logged by the fetch; this catches what is not a remote's.
            await gitPillar.UpdateAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            GitPillarLog.StartFetchFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
