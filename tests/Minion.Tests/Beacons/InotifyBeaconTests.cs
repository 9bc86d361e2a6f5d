using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

/// <summary>Runs against the kernel's inotify on a temp dir (Linux, which the minion targets).</summary>
public sealed class InotifyBeaconTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Watched(string yamlSettings = "{}") => $"- files:\n    {_dir.Path}: {yamlSettings}";

    private static List<(string Path, string Change)> Changes(IReadOnlyList<Dictionary<string, object?>> events) =>
        events.Select(e => ((string)e["path"]!, (string)e["change"]!)).ToList();

    [Fact]
    public void DefaultMask_ReportsCreateModifyDelete_TaggedWithTheWatchedDirectory()
    {
        using var watcher = (IDisposable)Create(new InotifyBeacon(), Watched());
        var beacon = (Orchestrator.Minion.Beacons.IBeaconWatcher)watcher;
        Assert.Empty(Poll(beacon));
        var file = _dir.Combine("app.conf");

        File.WriteAllText(file, "a");
        var created = Poll(beacon);
        File.AppendAllText(file, "b");
        var modified = Poll(beacon);
        File.Delete(file);
        var deleted = Poll(beacon);

        Assert.Contains((file, "IN_CREATE"), Changes(created));
        Assert.All(created, e => Assert.Equal(_dir.Path, e["tag"]));
        Assert.Contains((file, "IN_MODIFY"), Changes(modified));
        Assert.Equal([(file, "IN_DELETE")], Changes(deleted));
    }

    [Fact]
    public void Mask_LimitsTheEvents_AndDirectoriesCarryIsDir()
    {
        var beacon = Create(new InotifyBeacon(), Watched("{mask: [create]}"));
        Poll(beacon);

        File.WriteAllText(_dir.Combine("f"), "x");
        Directory.CreateDirectory(_dir.Combine("d"));
        File.Delete(_dir.Combine("f"));
        var changes = Changes(Poll(beacon));

        Assert.Equal([(_dir.Combine("f"), "IN_CREATE"), (_dir.Combine("d"), "IN_CREATE|IN_ISDIR")], changes);
        ((IDisposable)beacon).Dispose();
    }

    [Fact]
    public void Exclude_GlobsPrefixesAndRegexes_AreNotReported()
    {
        var beacon = Create(new InotifyBeacon(), Watched($"{{exclude: ['*.swp', '{_dir.Path}/tmp', {{'\\.bak$': {{regex: True}}}}]}}"));
        Poll(beacon);

        foreach (var name in new[] { "a.swp", "tmpfile", "b.bak", "kept.txt" })
        {
            File.WriteAllText(_dir.Combine(name), "x");
        }
        var paths = Poll(beacon).Select(e => (string)e["path"]!).Distinct().ToList();

        Assert.Equal([_dir.Combine("kept.txt")], paths);
        ((IDisposable)beacon).Dispose();
    }

    [Fact]
    public void Recurse_WatchesSubdirectories_AutoAddWatchesNewOnes()
    {
        Directory.CreateDirectory(_dir.Combine("sub"));
        var beacon = Create(new InotifyBeacon(), Watched("{recurse: True, auto_add: True}"));
        Poll(beacon);

        File.WriteAllText(_dir.Combine("sub", "in-sub"), "x");
        Directory.CreateDirectory(_dir.Combine("new"));
        var first = Poll(beacon);
        File.WriteAllText(_dir.Combine("new", "in-new"), "x");
        var second = Poll(beacon);

        Assert.Contains(first, e => (string)e["path"]! == _dir.Combine("sub", "in-sub") && (string)e["tag"]! == _dir.Combine("sub"));
        Assert.Contains(second, e => (string)e["path"]! == _dir.Combine("new", "in-new") && (string)e["change"]! == "IN_CREATE");
        ((IDisposable)beacon).Dispose();
    }

    [Fact]
    public void MissingPath_IsWatchedOnceItExists()
    {
        var later = _dir.Combine("later");
        var beacon = Create(new InotifyBeacon(), $"- files:\n    {later}: {{}}");
        Assert.Empty(Poll(beacon));

        Directory.CreateDirectory(later);
        Poll(beacon);
        File.WriteAllText(Path.Combine(later, "x"), "1");

        Assert.Contains((Path.Combine(later, "x"), "IN_CREATE"), Changes(Poll(beacon)));
        ((IDisposable)beacon).Dispose();
    }

    [Theory]
    [InlineData("{mask: [create, explode]}", "has an invalid mask option 'explode'")]
    [InlineData("{mask: create}", "must be a list")]
    [InlineData("{recurse: often}", "recurse' must be True or False")]
    public void BadConfig_NamesThePathAndKey(string settings, string expected)
    {
        var message = ConfigError(new InotifyBeacon(), Watched(settings));

        Assert.StartsWith("beacon 'inotify': 'files:", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void MaskName_IsPyinotifys() => Assert.Equal("IN_DELETE|IN_ISDIR", InotifyBeacon.MaskName(0x200 | 0x40000000));

    public void Dispose() => _dir.Dispose();
}
