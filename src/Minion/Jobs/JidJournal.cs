using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Orchestrator.Minion.Jobs;

/// <summary>
/// The jids this minion has started, on disk before each job starts, so a jid runs at most once across restarts: a job the
/// master re-sends after a restart, or a captured publish replayed to a restarted minion, is recognised and not run again.
/// Entries older than <see cref="Keep"/> (by the time in the jid) are dropped when the journal is loaded or compacted.
/// </summary>
public sealed class JidJournal : IDisposable
{
    /// <summary>How long a started jid is remembered: far beyond any job timeout and the replay window.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromHours(24);

    private const int CompactAfter = 50_000;

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _started = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private FileStream _file;
    private int _appended;

    public JidJournal(string path, TimeProvider time)
    {
        _path = path;
        _time = time;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length > 0 && StartedAt(line) is { } at)
                {
                    _started.TryAdd(line, at);
                }
            }
        }
        _file = Compact();
    }

    /// <summary>
    /// Records <paramref name="jid"/> as started, durably; false when it was started before (this run or an earlier one).
    /// </summary>
    public bool TryStart(string jid)
    {
        if (jid.Length == 0 || jid.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            return false;
        }
        lock (_lock)
        {
            if (!_started.TryAdd(jid, StartedAt(jid) ?? _time.GetUtcNow()))
            {
                return false;
            }
            _file.Write(Encoding.UTF8.GetBytes(jid + "\n"));
            _file.Flush(flushToDisk: true);
            if (++_appended >= CompactAfter)
            {
                _file.Dispose();
                _file = Compact();
            }
            return true;
        }
    }

    /// <summary>Whether <paramref name="jid"/> was started.</summary>
    public bool Contains(string jid) => _started.ContainsKey(jid);

    /// <summary>Rewrites the journal with only the entries still kept, then reopens it for appending.</summary>
    private FileStream Compact()
    {
        var cutoff = _time.GetUtcNow() - Keep;
        foreach (var (jid, at) in _started)
        {
            if (at < cutoff)
            {
                _started.TryRemove(jid, out _);
            }
        }
        var temp = _path + ".tmp";
        File.WriteAllLines(temp, _started.OrderBy(e => e.Value).Select(e => e.Key));
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, _path, overwrite: true);
        _appended = 0;
        return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>The time a Salt-style jid (<c>20261201102323123456</c>) encodes; null for another form.</summary>
    private static DateTimeOffset? StartedAt(string jid) =>
        jid.Length >= 14 && DateTime.TryParseExact(jid[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }
}
