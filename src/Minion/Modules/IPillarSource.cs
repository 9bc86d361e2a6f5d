namespace Orchestrator.Minion.Modules;

/// <summary>Compiles or fetches this minion's pillar: from the master (sealed to this minion), or from local pillar roots.</summary>
public interface IPillarSource
{
    Task<Dictionary<string, object?>> GetPillarAsync(string saltenv, CancellationToken cancellationToken);
}
