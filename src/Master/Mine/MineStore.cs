using Microsoft.Extensions.Logging;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Mine;

/// <summary>
/// Each minion's mine data (Salt's cache bank <c>minions/&lt;id&gt;</c>, key <c>mine</c>): one 0600 MessagePack file per
/// minion under <c>cachedir/mine</c> (0700), kept in memory once read, so it survives a master restart and a read costs no
/// disk. Writes replace the file atomically: a crash leaves the old data or the new, never half of either.
/// </summary>
public sealed class MineStore
{
    private const string Extension = ".mpack";

    private readonly string _dir;
    private readonly long _maxSize;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Dictionary<string, object?>> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public MineStore(string cacheDir, long maxSize, ILogger<MineStore> logger)
    {
        _dir = Path.Combine(cacheDir, "mine");
        _maxSize = maxSize;
        _logger = logger;
        PrivateFiles.EnsureDirectory(_dir);
        foreach (var file in Directory.EnumerateFiles(_dir))
        {
            // Re-applied at start, as for keys and the job cache: an older copy may have been left open.
            PrivateFiles.Restrict(file);
        }
    }

    /// <summary>The directory holding the files (for tests and operators).</summary>
    public string DirectoryPath => _dir;

    /// <summary>
    /// Stores <paramref name="data"/> under the minion: merged over what it has (Salt's <c>dict.update</c>: per function), or
    /// replacing it all when <paramref name="clear"/>. Returns null when stored, else why not; nothing changes then.
    /// </summary>
    public string? Update(string minionId, IReadOnlyDictionary<string, object?> data, bool clear, out long bytes)
    {
        bytes = 0;
        if (PathOf(minionId) is not { } path)
        {
            return $"invalid minion id '{minionId}'";
        }
        lock (_lock)
        {
            var merged = clear ? new Dictionary<string, object?>(StringComparer.Ordinal) : new Dictionary<string, object?>(LoadLocked(minionId, path), StringComparer.Ordinal);
            foreach (var (function, value) in data)
            {
                merged[function] = value;
            }
            var body = WireCodec.Serialize(merged);
            bytes = body.LongLength;
            if (body.LongLength > _maxSize)
            {
                return $"the mine data of {minionId} would take {body.LongLength} bytes, over the master's mine_max_size of {_maxSize} bytes; " +
                    "nothing was stored and the previous data is kept";
            }
            WriteLocked(path, body);
            _loaded[minionId] = merged;
            return null;
        }
    }

    /// <summary>Deletes one function of the minion's mine; false when it had none by that name.</summary>
    public bool Delete(string minionId, string function)
    {
        if (PathOf(minionId) is not { } path)
        {
            return false;
        }
        lock (_lock)
        {
            var current = LoadLocked(minionId, path);
            if (!current.ContainsKey(function))
            {
                return false;
            }
            var rest = new Dictionary<string, object?>(current, StringComparer.Ordinal);
            rest.Remove(function);
            WriteLocked(path, WireCodec.Serialize(rest));
            _loaded[minionId] = rest;
            return true;
        }
    }

    /// <summary>Deletes the minion's whole mine (Salt's <c>mine.flush</c>, and its key's deletion).</summary>
    public void Flush(string minionId)
    {
        if (PathOf(minionId) is not { } path)
        {
            return;
        }
        lock (_lock)
        {
            File.Delete(path);
            _loaded[minionId] = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
    }

    /// <summary>The minion's mine, function → entry (possibly ACL-wrapped); empty when it has none. Callers must not change it.</summary>
    public IReadOnlyDictionary<string, object?> Read(string minionId)
    {
        if (PathOf(minionId) is not { } path)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        lock (_lock)
        {
            return LoadLocked(minionId, path);
        }
    }

    /// <summary>Removes the minion's mine from memory and disk: its key was deleted.</summary>
    public void Forget(string minionId)
    {
        Flush(minionId);
        lock (_lock)
        {
            _loaded.Remove(minionId);
        }
        MineLog.Forgotten(_logger, minionId);
    }

    private string? PathOf(string minionId) =>
        NameValidator.IsValidMinionId(minionId) ? Path.Combine(_dir, minionId + Extension) : null;

    private Dictionary<string, object?> LoadLocked(string minionId, string path)
    {
        if (_loaded.TryGetValue(minionId, out var cached))
        {
            return cached;
        }
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            try
            {
                data = WireCodec.ToMap(WireCodec.Deserialize<Dictionary<string, object?>>(File.ReadAllBytes(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or WireFormatException)
            {
                // Unreadable data answers as no data; the next update from the minion replaces the file.
                MineLog.Unreadable(_logger, minionId, path, e.Message);
            }
        }
        _loaded[minionId] = data;
        return data;
    }

    private static void WriteLocked(string path, byte[] body)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(body);
            stream.Flush(flushToDisk: true);
        }
        PrivateFiles.Restrict(temp);
        File.Move(temp, path, overwrite: true);
    }
}
