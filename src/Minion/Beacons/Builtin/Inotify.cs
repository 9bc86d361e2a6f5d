using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Execution;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>inotify</c> beacon: <c>files: {path: {mask, recurse, auto_add, exclude}}</c> fires
/// <c>{path, change}</c> for each file system event, tagged with the watched directory (so the tag reads
/// <c>salt/beacon/&lt;id&gt;/inotify//etc/app</c>, as in Salt).
/// </summary>
/// <remarks>
/// Uses the kernel's inotify directly, so masks and change names (<c>IN_CREATE</c>, <c>IN_DELETE|IN_ISDIR</c>) are pyinotify's.
/// The default mask is create, delete and modify. A path that does not exist yet is watched once it does. <c>exclude</c>
/// entries are globs (with <c>*</c>), path prefixes, or <c>{pattern: {regex: True}}</c>; <c>- coalesce: True</c> drops
/// duplicate events within one poll.
/// </remarks>
[Beacon("inotify")]
public sealed class InotifyBeacon : IBeacon
{
    private const uint InIsDir = 0x40000000;
    private const uint InIgnored = 0x8000;
    private const uint InQueueOverflow = 0x4000;
    private const uint InCreate = 0x100;
    private const uint InMovedTo = 0x80;
    private const uint InAllEvents = 0xfff;
    private const uint DefaultMask = 0x100 | 0x200 | 0x2;

    /// <summary>pyinotify's mask names (Salt's valid masks, plus dont_follow) and their bits.</summary>
    private static readonly Dictionary<string, uint> Masks = new(StringComparer.Ordinal)
    {
        ["access"] = 0x1, ["modify"] = 0x2, ["attrib"] = 0x4, ["close_write"] = 0x8, ["close_nowrite"] = 0x10, ["open"] = 0x20,
        ["moved_from"] = 0x40, ["moved_to"] = 0x80, ["create"] = 0x100, ["delete"] = 0x200, ["delete_self"] = 0x400,
        ["move_self"] = 0x800, ["unmount"] = 0x2000, ["ignored"] = InIgnored, ["onlydir"] = 0x01000000,
        ["dont_follow"] = 0x02000000, ["excl_unlink"] = 0x04000000, ["oneshot"] = 0x80000000,
    };

    private static readonly (uint Bit, string Name)[] EventNames =
    [
        (0x1, "IN_ACCESS"), (0x2, "IN_MODIFY"), (0x4, "IN_ATTRIB"), (0x8, "IN_CLOSE_WRITE"), (0x10, "IN_CLOSE_NOWRITE"),
        (0x20, "IN_OPEN"), (0x40, "IN_MOVED_FROM"), (0x80, "IN_MOVED_TO"), (0x100, "IN_CREATE"), (0x200, "IN_DELETE"),
        (0x400, "IN_DELETE_SELF"), (0x800, "IN_MOVE_SELF"), (0x2000, "IN_UNMOUNT"), (InQueueOverflow, "IN_Q_OVERFLOW"),
        (InIgnored, "IN_IGNORED"),
    ];

    public string Doc => "Fire on file system events (create, modify, delete...) under watched paths, through inotify.";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new BeaconConfigException($"beacon '{config.Name}': inotify is only available on Linux");
        }
        var files = config.RequireMap("files");
        if (files.Count == 0)
        {
            throw config.Error("files", "names no path to watch");
        }
        var watched = new List<WatchedPath>();
        foreach (var (rawPath, value) in files)
        {
            var path = rawPath.Length > 1 ? rawPath.TrimEnd('/') : rawPath;
            var key = $"files:{rawPath}";
            var settings = config.Map(value, key, nullIsEmpty: true);
            var mask = DefaultMask;
            if (settings.TryGetValue("mask", out var maskValue) && maskValue is not null)
            {
                mask = 0;
                foreach (var name in config.List(maskValue, $"{key}:mask"))
                {
                    mask |= name is string s && Masks.TryGetValue(s, out var bit)
                        ? bit
                        : throw config.Error($"{key}:mask", $"has an invalid mask option '{name}' (valid: {string.Join(", ", Masks.Keys)})");
                }
            }
            watched.Add(new WatchedPath(
                path,
                mask,
                config.Bool(settings.GetValueOrDefault("recurse"), $"{key}:recurse", false),
                config.Bool(settings.GetValueOrDefault("auto_add"), $"{key}:auto_add", false),
                Excludes(config, settings.GetValueOrDefault("exclude"), $"{key}:exclude")));
        }
        return new Watcher(watched, config.Bool("coalesce", false));
    }

    private static List<Func<string, bool>> Excludes(BeaconConfig config, object? value, string key)
    {
        var excludes = new List<Func<string, bool>>();
        if (value is null)
        {
            return excludes;
        }
        foreach (var entry in config.List(value, key))
        {
            switch (entry)
            {
                case Dictionary<string, object?> { Count: 1 } map:
                    var (pattern, options) = map.First();
                    var regex = config.Bool(config.Map(options, $"{key}:{pattern}", nullIsEmpty: true).GetValueOrDefault("regex"), $"{key}:{pattern}:regex", false);
                    if (regex)
                    {
                        var compiled = config.Regex(pattern, $"{key}:{pattern}");
                        excludes.Add(p => compiled.IsMatch(p));
                    }
                    else
                    {
                        excludes.Add(Plain(pattern));
                    }
                    break;
                case string plain:
                    excludes.Add(Plain(plain));
                    break;
                default:
                    throw config.Error(key, $"entries must be paths, globs or {{pattern: {{regex: True}}}}, got '{entry}'");
            }
        }
        return excludes;
    }

    /// <summary>Salt's rule: a pattern with <c>*</c> is a glob over the whole path, anything else a path prefix.</summary>
    private static Func<string, bool> Plain(string pattern)
    {
        if (pattern.Contains('*', StringComparison.Ordinal))
        {
            var glob = Glob.ToRegex(pattern);
            return p => glob.IsMatch(p);
        }
        return p => p.StartsWith(pattern, StringComparison.Ordinal);
    }

    internal static string MaskName(uint mask)
    {
        var names = EventNames.Where(e => (mask & e.Bit) != 0).Select(e => e.Name).ToList();
        if ((mask & InIsDir) != 0)
        {
            names.Add("IN_ISDIR");
        }
        return string.Join('|', names);
    }

    private sealed record WatchedPath(string Path, uint Mask, bool Recurse, bool AutoAdd, List<Func<string, bool>> Excludes)
    {
        public bool Excluded(string path) => Excludes.Any(e => e(path));

        /// <summary>What the kernel is asked for: the events wanted, plus create for auto_add (as pyinotify adds it).</summary>
        public uint KernelMask => Mask | (AutoAdd ? InCreate : 0);
    }

    private sealed class Watcher(List<WatchedPath> paths, bool coalesce) : IBeaconWatcher, IDisposable
    {
        private readonly Dictionary<int, (string Path, WatchedPath Config)> _watches = [];
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _fd = -1;

        public Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            if (_fd < 0)
            {
                _fd = LinuxNative.InotifyInit();
            }
            var events = new List<Dictionary<string, object?>>();
            var seen = new HashSet<(int, uint, uint, string)>();
            int read;
            while ((read = LinuxNative.ReadAvailable(_fd, _buffer)) > 0)
            {
                for (var offset = 0; offset + 16 <= read;)
                {
                    var wd = MemoryMarshal.Read<int>(_buffer.AsSpan(offset));
                    var mask = MemoryMarshal.Read<uint>(_buffer.AsSpan(offset + 4));
                    var cookie = MemoryMarshal.Read<uint>(_buffer.AsSpan(offset + 8));
                    var length = (int)MemoryMarshal.Read<uint>(_buffer.AsSpan(offset + 12));
                    var name = Encoding.UTF8.GetString(_buffer, offset + 16, length).TrimEnd('\0');
                    offset += 16 + length;
                    if (coalesce && !seen.Add((wd, mask, cookie, name)))
                    {
                        continue;
                    }
                    if (Translate(wd, mask, name) is { } item)
                    {
                        events.Add(item);
                    }
                }
            }
            foreach (var path in paths)
            {
                EnsureWatched(path);
            }
            return Task.FromResult<IReadOnlyList<Dictionary<string, object?>>>(events);
        }

        private Dictionary<string, object?>? Translate(int wd, uint mask, string name)
        {
            if ((mask & InQueueOverflow) != 0 || !_watches.TryGetValue(wd, out var watch))
            {
                return null;
            }
            var pathname = name.Length == 0 ? watch.Path : watch.Path == "/" ? "/" + name : $"{watch.Path}/{name}";
            if ((mask & InIgnored) != 0)
            {
                // The kernel dropped the watch (the path went away); it is set again if the path comes back.
                _watches.Remove(wd);
            }
            else if (watch.Config.AutoAdd && (mask & InIsDir) != 0 && (mask & (InCreate | InMovedTo)) != 0
                && !watch.Config.Excluded(pathname))
            {
                TryAdd(pathname, watch.Config);
            }
            var wanted = (mask & InAllEvents & watch.Config.Mask) != 0 || ((mask & InIgnored) != 0 && (watch.Config.Mask & InIgnored) != 0);
            if (!wanted || watch.Config.Excluded(pathname))
            {
                return null;
            }
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["tag"] = watch.Path,
                ["path"] = pathname,
                ["change"] = MaskName(mask),
            };
        }

        private void EnsureWatched(WatchedPath config)
        {
            if (_watches.Values.Any(w => w.Path == config.Path) || !Path.Exists(config.Path))
            {
                return;
            }
            TryAdd(config.Path, config);
            if (config.Recurse && Directory.Exists(config.Path))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
                foreach (var dir in Directory.EnumerateDirectories(config.Path, "*", options))
                {
                    if (!config.Excluded(dir))
                    {
                        TryAdd(dir, config);
                    }
                }
            }
        }

        private void TryAdd(string path, WatchedPath config)
        {
            try
            {
                var wd = LinuxNative.AddWatch(_fd, path, config.KernelMask);
                _watches[wd] = (path, config);
            }
            catch (IOException)
            {
                // Gone again, or not readable: the next poll tries again for configured paths.
            }
        }

        public void Dispose()
        {
            if (_fd >= 0)
            {
                LinuxNative.CloseFd(_fd);
                _fd = -1;
            }
            _watches.Clear();
        }
    }
}
