using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>log</c> beacon: <c>- file: /var/log/app.log</c> and <c>- tags: {tag: {regex: pattern}}</c> fire
/// <c>{match: yes, raw: line, error: ''}</c> tagged with the tag for each new line a pattern matches from its start
/// (Python's <c>re.match</c>).
/// </summary>
/// <remarks>
/// Reads only lines written after the beacon started; a line is matched once it is complete. Survives rotation: after a
/// rename-and-create it finishes the old file and reads the new one from its start, and after a truncation (copytruncate) it
/// starts again from the top. A file that does not exist yet is read from its start once it appears.
/// </remarks>
[Beacon("log")]
public sealed class LogBeacon : IBeacon
{
    /// <summary>Most bytes read per poll, so a burst cannot hold the minion's memory; the rest is read on the next polls.</summary>
    private const int MaxReadPerPoll = 4 * 1024 * 1024;

    public string Doc => "Fire on new lines of a log file that match a tag's regular expression.";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        if (!config.Has("file"))
        {
            throw config.Error("file", "is required (like '- file: /var/log/messages')");
        }
        var file = config.String(config.Get("file"), "file");
        var tags = new List<(string Tag, Regex Pattern)>();
        if (config.Has("tags"))
        {
            foreach (var (tag, value) in config.Map(config.Get("tags"), "tags"))
            {
                var settings = config.Map(value, $"tags:{tag}", nullIsEmpty: true);
                // As in Salt, a tag without a regex is ignored.
                if (settings.GetValueOrDefault("regex") is { } pattern && pattern is not "")
                {
                    var text = config.String(pattern, $"tags:{tag}:regex");
                    tags.Add((tag, config.Regex(@"\A(?:" + text + ")", $"tags:{tag}:regex")));
                }
            }
        }
        return new Watcher(file, tags);
    }

    private sealed class Watcher(string file, List<(string Tag, Regex Pattern)> tags) : IBeaconWatcher, IDisposable
    {
        /// <summary>Bytes compared to tell a file rewritten in place (copytruncate, then written again) from one that grew.</summary>
        private const int TailLength = 64;

        private readonly List<byte> _partial = [];
        private byte[] _tail = [];
        private FileStream? _stream;
        private ulong? _inode;
        private bool _started;

        public Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var lines = new List<string>();
            if (!_started)
            {
                _started = true;
                if (Open())
                {
                    var end = _stream!.Seek(0, SeekOrigin.End);
                    var tail = new byte[Math.Min(TailLength, end)];
                    _stream.Seek(end - tail.Length, SeekOrigin.Begin);
                    _stream.ReadExactly(tail);
                    _tail = tail;
                }
                return Task.FromResult(BeaconContext.None);
            }
            if (_stream is null)
            {
                if (!Open())
                {
                    return Task.FromResult(BeaconContext.None);
                }
            }
            var budget = MaxReadPerPoll;
            budget -= Drain(lines, budget);
            switch (budget > 0 ? Rotation() : Rotated.No)
            {
                case Rotated.Replaced:
                    Flush(lines);
                    Close();
                    if (Open())
                    {
                        Drain(lines, budget);
                    }
                    break;
                case Rotated.Truncated:
                    _partial.Clear();
                    _tail = [];
                    _stream!.Seek(0, SeekOrigin.Begin);
                    Drain(lines, budget);
                    break;
            }
            var events = new List<Dictionary<string, object?>>();
            foreach (var line in lines)
            {
                foreach (var (tag, pattern) in tags)
                {
                    if (pattern.IsMatch(line))
                    {
                        events.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                        {
                            ["tag"] = tag,
                            ["match"] = "yes",
                            ["raw"] = line,
                            ["error"] = "",
                        });
                    }
                }
            }
            return Task.FromResult<IReadOnlyList<Dictionary<string, object?>>>(events);
        }

        private enum Rotated
        {
            No,
            Replaced,
            Truncated,
        }

        /// <summary>Whether the path now names another file (rename and create) or the file got shorter than what was read.</summary>
        private Rotated Rotation()
        {
            var inode = LinuxNative.Inode(file);
            if (inode is null)
            {
                return Rotated.No;
            }
            if (inode != _inode)
            {
                return Rotated.Replaced;
            }
            try
            {
                var position = _stream!.Position;
                if (new FileInfo(file).Length < position)
                {
                    return Rotated.Truncated;
                }
                if (_tail.Length == 0)
                {
                    return Rotated.No;
                }
                // Truncated and written past our offset again since the last poll: the bytes before it are not the ones read.
                var now = new byte[_tail.Length];
                _stream.Seek(position - _tail.Length, SeekOrigin.Begin);
                _stream.ReadExactly(now);
                return now.AsSpan().SequenceEqual(_tail) ? Rotated.No : Rotated.Truncated;
            }
            catch (Exception e) when (e is IOException or EndOfStreamException)
            {
                // Gone between the two looks: the next poll sees it.
                return Rotated.No;
            }
        }

        private bool Open()
        {
            try
            {
                _stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                _inode = LinuxNative.Inode(file);
                return true;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return false;
            }
        }

        private int Drain(List<string> lines, int budget)
        {
            var buffer = new byte[64 * 1024];
            var total = 0;
            int read;
            while (total < budget && (read = _stream!.Read(buffer, 0, Math.Min(buffer.Length, budget - total))) > 0)
            {
                total += read;
                _tail = [.. _tail.Concat(buffer.Take(read)).TakeLast(TailLength)];
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        lines.Add(Decode());
                    }
                    else
                    {
                        _partial.Add(buffer[i]);
                    }
                }
            }
            return total;
        }

        private void Flush(List<string> lines)
        {
            if (_partial.Count > 0)
            {
                lines.Add(Decode());
            }
        }

        private string Decode()
        {
            var text = Encoding.UTF8.GetString([.. _partial]).TrimEnd('\r');
            _partial.Clear();
            return text;
        }

        private void Close()
        {
            _stream?.Dispose();
            _stream = null;
            _inode = null;
            _tail = [];
        }

        public void Dispose() => Close();
    }
}
