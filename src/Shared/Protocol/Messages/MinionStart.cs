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
    /// True when only the grains are news: <c>orch call</c> announcing them for its one call, or a running minion whose grains
    /// a job changed (grains.setval ...). The master caches them (targeting and pillar need them) but fires no
    /// <c>salt/minion/&lt;id&gt;/start</c>, so a start reactor does not run, and re-sends no jobs.
    /// </summary>
    [Key(1)]
    public bool GrainsOnly { get; set; }
}
