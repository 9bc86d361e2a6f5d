using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master after authenticating: start-up announcement with grains.</summary>
[MessagePackObject]
public sealed class MinionStart
{
    /// <summary>The minion's grains.</summary>
    [Key(0)]
    public Dictionary<string, object?> Grains { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// True when <c>orch call</c> announces grains for its one call: the master caches them (pillar needs them) but fires no
    /// <c>salt/minion/&lt;id&gt;/start</c>, so a start reactor does not run for every call, and re-sends it no jobs.
    /// </summary>
    [Key(1)]
    public bool ForCall { get; set; }
}
