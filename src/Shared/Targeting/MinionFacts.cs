namespace Orchestrator.Shared.Targeting;

/// <summary>What a matcher may look at for one minion: its id, grains and (optionally) pillar.</summary>
/// <param name="Id">The minion id.</param>
/// <param name="Grains">The minion's grains; subnet targets read the <c>ipv4</c> and <c>ipv6</c> lists from here, as Salt does.</param>
/// <param name="Pillar">The minion's pillar, or <c>null</c> when unknown (pillar targets then match nothing).</param>
public sealed record MinionFacts(
    string Id,
    IReadOnlyDictionary<string, object?> Grains,
    IReadOnlyDictionary<string, object?>? Pillar = null)
{
    /// <summary>Facts for a minion of which only the id is known (no grains, no pillar).</summary>
    public static MinionFacts ForId(string id) => new(id, new Dictionary<string, object?>(StringComparer.Ordinal));
}
