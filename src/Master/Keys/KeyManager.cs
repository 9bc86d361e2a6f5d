using Orchestrator.Master.Events;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Keys;

/// <summary>What <c>orch key</c> does (salt-key): list, accept, reject, delete and fingerprint keys, revoking sessions as it goes.</summary>
public sealed class KeyManager(
    KeyStore store, RequestProcessor requests, EventBus events, MinionDirectory minions, RsaKeyPair masterKey, Mine.MineStore mine)
{
    public Dictionary<string, object?> List(KeyState? only = null)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var state in Enum.GetValues<KeyState>())
        {
            if (only is null || only == state)
            {
                result[KeyStore.FolderName(state)] = store.List(state).Cast<object?>().ToList();
            }
        }
        return result;
    }

    /// <summary>Accepts pending keys matching the glob (and rejected/denied ones when asked).</summary>
    public List<string> Accept(string glob, bool includeRejected, bool includeDenied)
    {
        var from = new List<KeyState> { KeyState.Pending };
        if (includeRejected)
        {
            from.Add(KeyState.Rejected);
        }
        if (includeDenied)
        {
            from.Add(KeyState.Denied);
        }
        return Apply(glob, from, id => store.Move(id, KeyState.Accepted, [.. from]), "accept");
    }

    /// <summary>Rejects pending (and, when asked, accepted) keys; a rejected minion is cut off at once.</summary>
    public List<string> Reject(string glob, bool includeAccepted)
    {
        var from = includeAccepted ? new List<KeyState> { KeyState.Pending, KeyState.Accepted } : [KeyState.Pending];
        var done = Apply(glob, from, id => store.Move(id, KeyState.Rejected, [.. from]), "reject");
        foreach (var id in done)
        {
            requests.Revoke(id, $"key {id} rejected");
        }
        return done;
    }

    /// <summary>Deletes keys in any state; the minion's session ends and the publish key rotates.</summary>
    public List<string> Delete(string glob)
    {
        var done = Apply(glob, Enum.GetValues<KeyState>(), store.Delete, "delete");
        foreach (var id in done)
        {
            minions.Forget(id);
            // Salt drops the minion's data cache bank (grains, pillar, mine) with its key.
            mine.Forget(id);
            requests.Revoke(id, $"key {id} deleted");
        }
        return done;
    }

    public Dictionary<string, object?> Fingerprints(string glob)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["local"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["master.pub"] = masterKey.Fingerprint },
        };
        foreach (var state in Enum.GetValues<KeyState>())
        {
            var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var id in store.List(state).Where(id => FnMatch.IsMatch(id, glob)))
            {
                entries[id] = KeyFingerprint.Of(store.Read(state, id)!);
            }
            if (entries.Count > 0)
            {
                result[KeyStore.FolderName(state)] = entries;
            }
        }
        return result;
    }

    /// <summary>The keys a command would act on, for the CLI's confirmation prompt.</summary>
    public List<string> Matching(string glob, IEnumerable<KeyState> states) =>
        states.SelectMany(store.List).Where(id => FnMatch.IsMatch(id, glob)).Distinct().Order(StringComparer.Ordinal).ToList();

    private List<string> Apply(string glob, IEnumerable<KeyState> from, Func<string, bool> action, string act)
    {
        var done = new List<string>();
        foreach (var id in Matching(glob, from))
        {
            if (action(id))
            {
                done.Add(id);
                events.Publish(EventTag.Key, new(StringComparer.Ordinal) { ["id"] = id, ["act"] = act, ["result"] = true });
            }
        }
        return done;
    }
}
