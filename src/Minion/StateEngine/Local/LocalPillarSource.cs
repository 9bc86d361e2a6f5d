using Orchestrator.Minion.Modules;
using Orchestrator.Shared.States;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Minion.StateEngine.Local;

/// <summary>Compiles this minion's pillar from local <c>pillar_roots</c> (for <c>orch call --local</c>), as the master would.</summary>
public sealed class LocalPillarSource(IReadOnlyDictionary<string, List<string>> roots, string minionId, Dictionary<string, object?> grains, Dictionary<string, object?> opts)
    : IPillarSource
{
    public Task<Dictionary<string, object?>> GetPillarAsync(string saltenv, CancellationToken cancellationToken)
    {
        var result = new PillarBuilder(new FileRoots(roots)).Build(new MinionFacts(minionId, grains), opts, roots.ContainsKey(saltenv) ? saltenv : null);
        return result.Errors.Count > 0
            ? throw new ModuleException("pillar render errors: " + string.Join("; ", result.Errors))
            : Task.FromResult(result.Pillar);
    }
}
