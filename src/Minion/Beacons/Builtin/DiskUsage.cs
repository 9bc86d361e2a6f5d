using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>diskusage</c> beacon: <c>- /: 63%</c> items, each a mount point or a regular expression over mount points,
/// fire <c>{diskusage: percent, mount}</c> when a mount's use reaches its threshold.
/// </summary>
/// <remarks>
/// A mount fires when it crosses up to its threshold, and again only after it fell below; <c>- onchangeonly: False</c>
/// fires on every poll while over, as Salt does. A pattern without a trailing <c>$</c> gets one and is matched from the start
/// (Python's <c>re.match</c>). When several items match one mount the last one's threshold applies, as Salt documents.
/// Use is psutil's: used / (used + available to unprivileged users).
/// </remarks>
[Beacon("diskusage")]
public sealed class DiskUsageBeacon : IBeacon
{
    private readonly string _root;
    private readonly Func<string, DiskSpace?> _probe;

    /// <param name="hostRoot">Where <c>proc/self/mounts</c> is read; "/" outside tests.</param>
    /// <param name="probe">Reads a mount's space; null for statvfs (through <see cref="DriveInfo"/>).</param>
    public DiskUsageBeacon(string hostRoot = "/", Func<string, DiskSpace?>? probe = null)
    {
        _root = hostRoot;
        _probe = probe ?? Statvfs;
    }

    public string Doc => "Fire when a mount point's disk use crosses up to its threshold (mounts may be regular expressions).";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        var onChangeOnly = config.Bool("onchangeonly", true);
        var mounts = new List<(Regex Pattern, double Threshold)>();
        foreach (var (mount, threshold) in config.Items.Where(i => i.Key != "onchangeonly"))
        {
            var anchored = mount.EndsWith('$') ? mount : mount + "$";
            mounts.Add((config.Regex(@"\A(?:" + anchored + ")", mount), config.Percent(threshold, mount)));
        }
        if (mounts.Count == 0)
        {
            throw new BeaconConfigException($"beacon '{config.Name}': no mount points configured (like '- /: 63%')");
        }
        return new Watcher(this, mounts, onChangeOnly);
    }

    /// <summary>A mount's use as a percentage, one decimal; null when it cannot be read.</summary>
    internal double? UsedPercent(string mount) => _probe(mount) is { } space ? HostFiles.Percent(space.Used, space.Used + space.Available) : null;

    private static DiskSpace? Statvfs(string mount)
    {
        try
        {
            var drive = new DriveInfo(mount);
            return new DiskSpace(drive.TotalSize - drive.TotalFreeSpace, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private sealed class Watcher(DiskUsageBeacon beacon, List<(Regex Pattern, double Threshold)> mounts, bool onChangeOnly) : IBeaconWatcher
    {
        private readonly HashSet<string> _over = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var events = new List<Dictionary<string, object?>>();
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var mount in HostFiles.MountPoints(beacon._root))
            {
                double? threshold = null;
                foreach (var (pattern, limit) in mounts)
                {
                    if (pattern.IsMatch(mount))
                    {
                        threshold = limit;
                    }
                }
                if (threshold is null || beacon.UsedPercent(mount) is not { } used)
                {
                    continue;
                }
                present.Add(mount);
                if (used < threshold)
                {
                    _over.Remove(mount);
                    continue;
                }
                if (_over.Add(mount) || !onChangeOnly)
                {
                    events.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["diskusage"] = used, ["mount"] = mount });
                }
            }
            // A mount that went away starts afresh if it comes back.
            _over.IntersectWith(present);
            return Task.FromResult<IReadOnlyList<Dictionary<string, object?>>>(events);
        }
    }
}
