using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Keys;

/// <summary>
/// Minion public keys on disk, one file per minion in a folder per state (<c>minions</c>, <c>minions_pre</c>,
/// <c>minions_rejected</c>, <c>minions_denied</c>), like Salt's pki dir.
/// </summary>
public sealed class KeyStore
{
    private static readonly Dictionary<KeyState, string> Folders = new()
    {
        [KeyState.Accepted] = "minions",
        [KeyState.Pending] = "minions_pre",
        [KeyState.Rejected] = "minions_rejected",
        [KeyState.Denied] = "minions_denied",
    };

    private readonly string _root;
    private readonly Lock _lock = new();

    public KeyStore(string pkiDir)
    {
        _root = pkiDir;
        foreach (var folder in Folders.Values)
        {
            Shared.Security.PrivateFiles.EnsureDirectory(Path.Combine(_root, folder));
        }
    }

    public IReadOnlyList<string> List(KeyState state)
    {
        var dir = Path.Combine(_root, Folders[state]);
        return Directory.EnumerateFiles(dir)
            .Select(Path.GetFileName)
            .Where(NameValidator.IsValidMinionId)
            .Order(StringComparer.Ordinal)
            .ToList()!;
    }

    public string? Read(KeyState state, string id) =>
        NameValidator.IsValidMinionId(id) && File.Exists(PathOf(state, id)) ? File.ReadAllText(PathOf(state, id)) : null;

    public KeyState? StateOf(string id)
    {
        if (!NameValidator.IsValidMinionId(id))
        {
            return null;
        }
        foreach (var state in new[] { KeyState.Accepted, KeyState.Rejected, KeyState.Pending, KeyState.Denied })
        {
            if (File.Exists(PathOf(state, id)))
            {
                return state;
            }
        }
        return null;
    }

    /// <summary>
    /// Records a key presented by a minion and returns its state: a known key keeps its state; a new id becomes pending (or
    /// accepted when <paramref name="autoAccept"/>); a different key for an already accepted id is denied, as Salt does.
    /// </summary>
    /// <exception cref="PendingKeysFullException">
    /// <paramref name="id"/> is new, not auto-accepted, and <paramref name="maxPending"/> (when positive) keys already wait:
    /// checked and written under one lock, so concurrent hellos cannot pass the cap together.
    /// </exception>
    public KeyState Observe(string id, string publicPem, bool autoAccept, int maxPending = 0)
    {
        EnsureValid(id);
        lock (_lock)
        {
            var accepted = Read(KeyState.Accepted, id);
            if (accepted is not null)
            {
                if (SameKey(accepted, publicPem))
                {
                    return KeyState.Accepted;
                }
                File.WriteAllText(PathOf(KeyState.Denied, id), publicPem);
                return KeyState.Denied;
            }
            var rejected = Read(KeyState.Rejected, id);
            if (rejected is not null)
            {
                return SameKey(rejected, publicPem) ? KeyState.Rejected : Deny(id, publicPem);
            }
            // A different key for a pending id is denied too: replacing it would swap the key an operator is about to
            // accept after checking its fingerprint (Salt denies it the same way).
            var pending = Read(KeyState.Pending, id);
            if (pending is not null && !SameKey(pending, publicPem))
            {
                return Deny(id, publicPem);
            }
            if (pending is null && !autoAccept && maxPending > 0 && !File.Exists(PathOf(KeyState.Denied, id)) && Count(KeyState.Pending) >= maxPending)
            {
                throw new PendingKeysFullException(maxPending);
            }
            var state = autoAccept ? KeyState.Accepted : KeyState.Pending;
            if (autoAccept)
            {
                File.Delete(PathOf(KeyState.Pending, id));
            }
            File.WriteAllText(PathOf(state, id), publicPem);
            return state;
        }
    }

    /// <summary>How many keys wait in a state (a directory listing, no file reads).</summary>
    public int Count(KeyState state) => Directory.EnumerateFiles(Path.Combine(_root, Folders[state])).Count();

    private KeyState Deny(string id, string publicPem)
    {
        File.WriteAllText(PathOf(KeyState.Denied, id), publicPem);
        return KeyState.Denied;
    }

    /// <summary>Moves a key from one of <paramref name="from"/> states to <paramref name="to"/>; returns whether it moved.</summary>
    public bool Move(string id, KeyState to, params KeyState[] from)
    {
        EnsureValid(id);
        lock (_lock)
        {
            foreach (var state in from)
            {
                var source = PathOf(state, id);
                if (File.Exists(source))
                {
                    File.Move(source, PathOf(to, id), overwrite: true);
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Deletes the key in every state; returns whether anything was deleted.</summary>
    public bool Delete(string id)
    {
        EnsureValid(id);
        lock (_lock)
        {
            var deleted = false;
            foreach (var state in Folders.Keys)
            {
                var path = PathOf(state, id);
                if (File.Exists(path))
                {
                    File.Delete(path);
                    deleted = true;
                }
            }
            return deleted;
        }
    }

    private string PathOf(KeyState state, string id) => Path.Combine(_root, Folders[state], id);

    private static void EnsureValid(string id)
    {
        if (NameValidator.CheckMinionId(id) is { } error)
        {
            throw new ArgumentException(error, nameof(id));
        }
    }

    private static bool SameKey(string a, string b) => KeyFingerprint.Matches(KeyFingerprint.Of(a), KeyFingerprint.Of(b));

    public static string FolderName(KeyState state) => Folders[state];
}
