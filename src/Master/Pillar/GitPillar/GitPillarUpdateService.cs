using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>
/// Fetches the git_pillar remotes as the master starts, before it serves minions (as Salt's master does, so the first
/// pillar a minion gets already has them), then every <c>git_pillar_update_interval</c> as Salt's maintenance loop does,
/// firing <c>salt/git_pillar/update</c> (ours: Salt fires none) so a reactor can refresh the minions' pillar.
/// </summary>
public sealed class GitPillarUpdateService(MasterOptions options, GitPillarBackend gitPillar, EventBus events, TimeProvider time, ILogger<GitPillarUpdateService> logger)
    : GitUpdateLoop(time, events, logger)
{
    public const string UpdateTag = "salt/git_pillar/update";

    protected override bool Enabled => gitPillar.Remotes.Count > 0;

    protected override TimeSpan Interval => options.GitPillar.UpdateInterval;

    protected override string Role => "git_pillar";

    protected override string Tag => UpdateTag;

    protected override bool FetchBeforeServing => true;

    protected override Task<IReadOnlyList<GitfsUpdateResult>> FetchAsync(CancellationToken cancellationToken) => gitPillar.UpdateAsync(cancellationToken);
}
