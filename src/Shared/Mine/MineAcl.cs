namespace Orchestrator.Shared.Mine;

/// <summary>
/// Salt's mine entry with a minion-side ACL (<c>salt/utils/mine.py</c>, Salt 3000+): a function's data wrapped as
/// <c>{__data__: ..., __saltmine_acl__: 1, allow_tgt: ..., allow_tgt_type: ...}</c>, so the master answers <c>mine.get</c>
/// for it only to the minions <c>allow_tgt</c> selects.
/// </summary>
public static class MineAcl
{
    /// <summary>The key marking a wrapped entry (Salt's <c>MINE_ITEM_ACL_ID</c>).</summary>
    public const string AclId = "__saltmine_acl__";

    /// <summary>The key holding the function's data in a wrapped entry (Salt's <c>MINE_ITEM_ACL_DATA</c>).</summary>
    public const string DataKey = "__data__";

    /// <summary>The wrapper's version (Salt's <c>MINE_ITEM_ACL_VERSION</c>).</summary>
    public const long Version = 1;

    /// <summary>Wraps a function's data with its ACL (Salt's <c>wrap_acl_structure</c>); empty targets are left out.</summary>
    public static Dictionary<string, object?> Wrap(object? data, string? allowTgt, string? allowTgtType)
    {
        var entry = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [DataKey] = data,
            [AclId] = Version,
        };
        if (!string.IsNullOrEmpty(allowTgt))
        {
            entry["allow_tgt"] = allowTgt;
            if (!string.IsNullOrEmpty(allowTgtType))
            {
                entry["allow_tgt_type"] = allowTgtType;
            }
        }
        return entry;
    }

    /// <summary>
    /// The data of a stored entry and its ACL target (null when any minion may read it): a wrapped entry gives its
    /// <c>__data__</c>, anything else is data as it is (entries from before ACLs).
    /// </summary>
    public static (object? Data, string? AllowTgt, string AllowTgtType) Unwrap(object? entry)
    {
        if (entry is Dictionary<string, object?> map && map.ContainsKey(AclId))
        {
            var target = map.GetValueOrDefault("allow_tgt") is { } t and not "" ? Data.DataTree.KeyToString(t) : null;
            var type = map.GetValueOrDefault("allow_tgt_type") is { } tt and not "" ? Data.DataTree.KeyToString(tt) : "glob";
            return (map.GetValueOrDefault(DataKey), target, type);
        }
        return (entry, null, "glob");
    }
}
