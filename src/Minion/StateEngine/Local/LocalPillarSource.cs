using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.States;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Minion.StateEngine.Local;

/// <summary>
/// Compiles this minion's pillar from local <c>pillar_roots</c> (for <c>orch call --local</c>), exactly as the master would;
/// render problems are reported under <c>_errors</c>, as Salt does.
/// </summary>
/// <param name="roots">The pillar roots per environment.</param>
/// <param name="minionId">This minion's id, for top-file targeting.</param>
/// <param name="grains">This minion's grains.</param>
/// <param name="opts">This minion's options (<c>opts</c> in templates).</param>
/// <param name="salt">
/// Builds the <c>salt</c> template variable from the pillar compiled so far, as Salt's pillar renders with the minion's
/// execution modules; null leaves <c>salt</c> undefined.
/// </param>
/// <param name="logger">Where an SLS that fails to render says why (its <c>_errors</c> entry says to look there, as Salt's).</param>
public sealed class LocalPillarSource(
    IReadOnlyDictionary<string, List<string>> roots,
    string minionId,
    Dictionary<string, object?>? grains = null,
    Dictionary<string, object?>? opts = null,
    Func<Dictionary<string, object?>, object?>? salt = null,
    ILogger? logger = null)
    : IPillarSource
{
    public Task<Dictionary<string, object?>> GetPillarAsync(string saltenv, CancellationToken cancellationToken)
    {
        var builder = new PillarBuilder(
            new FileRoots(roots), salt: salt is null ? null : (_, pillar) => salt(pillar),
            renderFailed: (sls, e) => MinionLog.PillarSlsFailed(logger ?? NullLogger.Instance, sls, e.Message));
        var result = builder.Build(
            new MinionFacts(minionId, grains ?? new(StringComparer.Ordinal)), opts ?? new(StringComparer.Ordinal),
            roots.ContainsKey(saltenv) ? saltenv : null);
        foreach (var error in result.Errors)
        {
            MinionLog.PillarRenderError(logger ?? NullLogger.Instance, error);
        }
        return Task.FromResult(PillarErrors.Attach(result.Pillar, result.Errors));
    }

    /// <summary>
    /// The <c>salt</c> of a pillar render on this minion: its execution modules, seeing the pillar compiled so far and no
    /// pillar source (a pillar SLS cannot ask for the pillar it is part of).
    /// </summary>
    public static Func<Dictionary<string, object?>, object?> ModulesFor(ModuleContext minion) => pillar =>
        new SaltFunctions(minion.WithPillar(pillar, pillarSource: null));
}
