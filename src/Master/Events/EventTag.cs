namespace Orchestrator.Master.Events;

/// <summary>Event tags: Salt's shapes under one prefix (<c>orch/job/&lt;jid&gt;/ret/&lt;id&gt;</c>).</summary>
public static class EventTag
{
    public const string Prefix = "orch/";

    public static string JobNew(string jid) => $"{Prefix}job/{jid}/new";

    public static string JobReturn(string jid, string minionId) => $"{Prefix}job/{jid}/ret/{minionId}";

    public static string JobReturnPrefix(string jid) => $"{Prefix}job/{jid}/ret/";

    public static string MinionStart(string minionId) => $"{Prefix}minion/{minionId}/start";

    public const string Auth = Prefix + "auth";

    public const string Key = Prefix + "key";

    public const string PresenceChange = Prefix + "presence/change";

    /// <summary>Tags a minion may never fire: they describe what only the master knows.</summary>
    private static readonly string[] MasterScoped = ["job/", "auth", "key", "minion/", "presence/", "run/", "wheel/", "cloud/"];

    /// <summary>
    /// The tag under which a minion's event is put on the bus, or null if the minion may not fire it. Minion events live
    /// under <c>orch/</c> like the rest; beacon tags must name the sending minion.
    /// </summary>
    public static string? ForMinionEvent(string minionId, string tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 512 || tag.Any(char.IsControl))
        {
            return null;
        }
        var relative = tag.StartsWith(Prefix, StringComparison.Ordinal) ? tag[Prefix.Length..] : tag;
        if (MasterScoped.Any(scoped => relative.StartsWith(scoped, StringComparison.Ordinal)))
        {
            return null;
        }
        if (relative.StartsWith("beacon/", StringComparison.Ordinal) && !relative.StartsWith($"beacon/{minionId}/", StringComparison.Ordinal))
        {
            return null;
        }
        return Prefix + relative;
    }
}
