namespace Orchestrator.Master.Events;

/// <summary>
/// Event tags, Salt's own and unchanged (<c>salt/job/&lt;jid&gt;/ret/&lt;id&gt;</c>), so a Salt user's reactor config matches them
/// as it is.
/// </summary>
public static class EventTag
{
    /// <summary>Salt's namespace: only the master fires tags under it, but for a minion's own beacon events.</summary>
    public const string Prefix = "salt/";

    public static string JobNew(string jid) => $"{Prefix}job/{jid}/new";

    public static string JobReturn(string jid, string minionId) => $"{Prefix}job/{jid}/ret/{minionId}";

    public static string JobReturnPrefix(string jid) => $"{Prefix}job/{jid}/ret/";

    public static string MinionStart(string minionId) => $"{Prefix}minion/{minionId}/start";

    public static string RunNew(string jid) => $"{Prefix}run/{jid}/new";

    public static string RunReturn(string jid) => $"{Prefix}run/{jid}/ret";

    public static string Beacon(string minionId, string beacon) => $"{Prefix}beacon/{minionId}/{beacon}/";

    public const string Auth = Prefix + "auth";

    public const string Key = Prefix + "key";

    public const string PresencePresent = Prefix + "presence/present";

    public const string PresenceChange = Prefix + "presence/change";

    /// <summary>
    /// The tag under which a minion's event is put on the bus, or null if the minion may not fire it. User tags pass
    /// unchanged, as in Salt; under <c>salt/</c> a minion may fire only its own beacon events
    /// (<c>salt/beacon/&lt;own id&gt;/...</c>) and its own beacon-control replies (<c>salt/minion/&lt;own id&gt;/beacons_...</c>):
    /// everything else there (jobs, auth, keys, presence, runs, minion starts) is what only the master knows.
    /// </summary>
    public static string? ForMinionEvent(string minionId, string tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 512 || tag.Any(char.IsControl))
        {
            return null;
        }
        // A leading slash is how Salt's own minion-local tags are written (/salt/minion/...): the same namespace.
        var normalized = tag.TrimStart('/');
        if (!normalized.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return tag;
        }
        var own = normalized.StartsWith($"{Prefix}beacon/{minionId}/", StringComparison.Ordinal)
            || normalized.StartsWith($"{Prefix}minion/{minionId}/beacons_", StringComparison.Ordinal);
        return own ? normalized : null;
    }
}
