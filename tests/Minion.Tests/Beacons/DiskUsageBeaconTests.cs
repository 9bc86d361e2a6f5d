using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class DiskUsageBeaconTests : IDisposable
{
    private readonly TempDir _root = new();
    private readonly Dictionary<string, DiskSpace> _space = new(StringComparer.Ordinal);

    public DiskUsageBeaconTests()
    {
        Directory.CreateDirectory(_root.Combine("proc"));
        File.WriteAllText(_root.Combine("proc", "mounts"), """
            /dev/sda1 / ext4 rw 0 0
            proc /proc proc rw 0 0
            /dev/sdb1 /home ext4 rw 0 0
            /dev/sdc1 /mnt/my\040data xfs rw 0 0

            """);
        Set("/", 10);
        Set("/proc", 0);
        Set("/home", 10);
        Set("/mnt/my data", 10);
    }

    private void Set(string mount, long usedPercent) => _space[mount] = new DiskSpace(usedPercent, 100 - usedPercent);

    private DiskUsageBeacon Beacon => new(_root.Path, m => _space.GetValueOrDefault(m));

    [Fact]
    public void Mount_FiresOnceWhenCrossing_NotWhileOver_AgainAfterFallingBelow()
    {
        var watcher = Create(Beacon, "- /: 63%");
        var under = Poll(watcher);
        Set("/", 70);
        var crossed = Poll(watcher);
        Set("/", 80);
        var stillOver = Poll(watcher);
        Set("/", 20);
        var fell = Poll(watcher);
        Set("/", 63);
        var again = Poll(watcher);

        Assert.Empty(under);
        var fired = Assert.Single(crossed);
        Assert.Equal(70.0, fired["diskusage"]);
        Assert.Equal("/", fired["mount"]);
        Assert.Empty(stillOver);
        Assert.Empty(fell);
        Assert.Single(again);
    }

    [Fact]
    public void OverAtStart_FiresOnFirstPoll()
    {
        Set("/home", 90);

        Assert.Equal("/home", Assert.Single(Poll(Create(Beacon, "- /home: 50%")))["mount"]);
    }

    [Fact]
    public void RegexMounts_MatchFromTheStart_AndTheLastMatchingThresholdWins()
    {
        Set("/", 60);
        Set("/home", 60);
        Set("/mnt/my data", 60);
        var watcher = Create(Beacon, """
            - /home: 50%
            - '^\/(?!home).*$': 90%
            """);

        var fired = Poll(watcher);

        Assert.Equal(["/home"], fired.Select(e => (string)e["mount"]!));
    }

    [Fact]
    public void MountNameWithoutDollar_IsAnchored_SoASlashDoesNotMatchEverything()
    {
        Set("/", 99);
        Set("/home", 99);

        var fired = Poll(Create(Beacon, "- /: 50%"));

        Assert.Equal(["/"], fired.Select(e => (string)e["mount"]!));
    }

    [Fact]
    public void EscapedMountPoints_AreUnescaped()
    {
        Set("/mnt/my data", 95);

        Assert.Equal("/mnt/my data", Assert.Single(Poll(Create(Beacon, "- '/mnt/my data': 90%")))["mount"]);
    }

    [Fact]
    public void OnChangeOnlyFalse_FiresEveryPollWhileOver_AsSaltDoes()
    {
        Set("/", 99);
        var watcher = Create(Beacon, "[{'/': 50%}, {onchangeonly: False}]");

        Assert.Single(Poll(watcher));
        Assert.Single(Poll(watcher));
    }

    [Theory]
    [InlineData("- /: full", "'/' must be a percentage")]
    [InlineData("- '[': 50%", "'[' is not a valid regular expression")]
    [InlineData("- interval: 5", "no mount points configured")]
    public void BadConfig_NamesTheMount(string yaml, string expected)
    {
        var message = ConfigError(Beacon, yaml);

        Assert.StartsWith("beacon 'diskusage': ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void RealHost_RootIsReadable()
    {
        var watcher = Create(new DiskUsageBeacon(), "- /: 0%");

        var fired = Assert.Single(Poll(watcher));
        Assert.InRange((double)fired["diskusage"]!, 0, 100);
    }

    public void Dispose() => _root.Dispose();
}
