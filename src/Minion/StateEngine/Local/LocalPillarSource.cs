using Orchestrator.Minion.Modules;
using Orchestrator.Shared.States;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Minion.StateEngine.Local;

/// <summary>
/// Compiles this minion's pillar from local <c>pillar_roots</c> (for <c>orch call --local</c>), exactly as the master would;
/// render problems are reported under <c>_errors</c>, as Salt does.
/// </summary>
public sealed class LocalPillarSource(
    IReadOnlyDictionary<string, List<string>> roots, string minionId, Dictionary<string, object?>? grains = null, Dictionary<string, object?>? opts = null)
    : IPillarSource
{
    public Task<Dictionary<string, object?>> GetPillarAsync(string saltenv, CancellationToken cancellationToken)
    {
        var result = new PillarBuilder(new FileRoots(roots)).Build(
            new MinionFacts(minionId, grains ?? new(StringComparer.Ordinal)), opts ?? new(StringComparer.Ordinal),
            roots.ContainsKey(saltenv) ? saltenv : null);
        return Task.FromResult(PillarErrors.Attach(result.Pillar, result.Errors));
    }
}
