using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.Pillar;

/// <summary>Compiles <c>pillar_roots</c>' top file for one minion; the result is sealed to that minion only.</summary>
public sealed class PillarCompiler(MasterOptions options)
{
    public Task<CompiledPillar> CompileAsync(
        string minionId, Dictionary<string, object?> grains, string saltenv, Dictionary<string, object?> overrides,
        CancellationToken cancellationToken)
    {
        var pillar = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<string>();
        if (options.PillarRoots.Count > 0)
        {
            errors.Add("pillar rendering is not wired yet");
        }
        foreach (var (key, value) in overrides)
        {
            pillar[key] = value;
        }
        return Task.FromResult(new CompiledPillar(pillar, errors));
    }
}
