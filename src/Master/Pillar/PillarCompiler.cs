using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Collections.Concurrent;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Pillar.GitPillar;
using Orchestrator.Shared.States;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Pillar;

/// <summary>
/// Compiles <c>pillar_roots</c> for one minion on the master; the result goes to that minion only, sealed with its key.
/// The last pillar of each minion is kept so pillar targets (<c>-I</c>, <c>I@</c>) can be resolved on the master.
/// The git_pillar remotes of <c>ext_pillar</c> are compiled after it, each from one commit, and merged over it in order
/// (Salt's <c>pillar_source_merging_strategy: smart</c>: mappings recursively, the later value wins).
/// </summary>
public sealed class PillarCompiler(MasterOptions options, ILogger<PillarCompiler>? logger = null, GitPillarBackend? gitPillar = null)
{
    private readonly ConcurrentDictionary<string, Dictionary<string, object?>> _latest = new(StringComparer.Ordinal);

    /// <summary>The pillar last compiled for a minion, if any.</summary>
    public Dictionary<string, object?>? Latest(string minionId) => _latest.GetValueOrDefault(minionId);

    public Task<CompiledPillar> CompileAsync(
        string minionId, Dictionary<string, object?> grains, string saltenv, Dictionary<string, object?> overrides,
        CancellationToken cancellationToken)
    {
        // As Salt's master does, pillar templates see opts with the minion's grains in them.
        var opts = new Dictionary<string, object?>(options.Raw, StringComparer.Ordinal) { ["grains"] = grains, ["id"] = minionId };
        var builder = new PillarBuilder(
            new FileRoots(options.PillarRoots), options.Nodegroups, (_, pillar) => new MasterPillarFunctions(grains, pillar, opts),
            (sls, e) => MasterLog.PillarSlsFailed(logger ?? (ILogger)NullLogger.Instance, sls, minionId, e.Message));
        var pillarenv = options.PillarRoots.ContainsKey(saltenv) ? saltenv : null;
        var result = builder.Build(new MinionFacts(minionId, grains), opts, pillarenv);
        var errors = result.Errors.ToList();
        if (gitPillar is not null)
        {
            ExtPillar(gitPillar, minionId, grains, opts, pillarenv, result.Pillar, errors);
        }
        foreach (var error in errors)
        {
            MasterLog.PillarRenderError(logger ?? (ILogger)NullLogger.Instance, minionId, error);
        }
        PillarBuilder.Merge(result.Pillar, overrides);
        if (errors.Count == 0)
        {
            _latest[minionId] = result.Pillar;
        }
        return Task.FromResult(new CompiledPillar(result.Pillar, errors));
    }

    private void ExtPillar(
        GitPillarBackend git, string minionId, Dictionary<string, object?> grains, Dictionary<string, object?> opts, string? pillarenv,
        Dictionary<string, object?> pillar, List<string> errors)
    {
        foreach (var remote in git.Remotes)
        {
            if (git.TreeOf(remote, pillarenv) is not { } tree)
            {
                continue;
            }
            var builder = new PillarBuilder(
                tree, options.Nodegroups, (_, compiled) => new MasterPillarFunctions(grains, compiled, opts),
                (sls, e) => GitPillarLog.SlsFailed(logger ?? (ILogger)NullLogger.Instance, sls, remote.Id, minionId, e.Message));
            var result = builder.Build(new MinionFacts(minionId, grains), opts);
            PillarBuilder.Merge(pillar, result.Pillar);
            errors.AddRange(result.Errors.Select(e => $"git_pillar {remote.Id}: {e}"));
        }
    }
}
