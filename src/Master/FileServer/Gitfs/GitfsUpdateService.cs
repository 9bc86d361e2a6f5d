using Microsoft.Extensions.Logging;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>Fetches the gitfs remotes in the background at start and every <c>gitfs_update_interval</c>, firing <c>salt/fileserver/gitfs/update</c>.</summary>
public sealed class GitfsUpdateService(MasterOptions options, GitfsBackend gitfs, EventBus events, TimeProvider time, ILogger<GitfsUpdateService> logger)
    : GitUpdateLoop(time, events, logger)
{
    public const string UpdateTag = "salt/fileserver/gitfs/update";

    protected override bool Enabled => options.Gitfs.Enabled && options.Gitfs.Remotes.Count > 0;

    protected override TimeSpan Interval => options.Gitfs.UpdateInterval;

    protected override string Role => "gitfs";

    protected override string Tag => UpdateTag;

    protected override bool FetchBeforeServing => false;

    protected override Task<IReadOnlyList<GitfsUpdateResult>> FetchAsync(CancellationToken cancellationToken) => gitfs.UpdateAsync(cancellationToken);
}
