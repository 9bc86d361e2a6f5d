using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class PsBeaconTests : IDisposable
{
    private readonly TempDir _root = new();

    public PsBeaconTests()
    {
        Directory.CreateDirectory(_root.Combine("proc", "self"));
        Process(1, "systemd");
    }

    private void Process(int pid, string comm, string? cmdline = null)
    {
        var dir = _root.Combine("proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "comm"), comm + "\n");
        File.WriteAllText(Path.Combine(dir, "cmdline"), (cmdline ?? comm) + "\0");
    }

    private void Kill(int pid) => Directory.Delete(_root.Combine("proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)), true);

    [Fact]
    public void Running_FiresWhenTheProcessAppears_NotWhileItRuns()
    {
        var watcher = Create(new PsBeacon(_root.Path), "- processes: {nginx: running}");
        var absent = Poll(watcher);
        Process(42, "nginx");
        var started = Poll(watcher);
        var stillRunning = Poll(watcher);
        Kill(42);
        var gone = Poll(watcher);
        Process(43, "nginx");
        var back = Poll(watcher);

        Assert.Empty(absent);
        Assert.Equal("Running", Assert.Single(started)["nginx"]);
        Assert.Empty(stillRunning);
        Assert.Empty(gone);
        Assert.Single(back);
    }

    [Fact]
    public void Stopped_FiresWhenTheLastProcessGoes()
    {
        Process(42, "nginx");
        Process(44, "nginx");
        var watcher = Create(new PsBeacon(_root.Path), "- processes: {nginx: stopped}");
        var running = Poll(watcher);
        Kill(42);
        var oneLeft = Poll(watcher);
        Kill(44);
        var stopped = Poll(watcher);

        Assert.Empty(running);
        Assert.Empty(oneLeft);
        Assert.Equal("Stopped", Assert.Single(stopped)["nginx"]);
    }

    [Fact]
    public void OtherState_FiresFalseWhileAbsent_AsSalt()
    {
        Assert.Equal(false, Assert.Single(Poll(Create(new PsBeacon(_root.Path), "- processes: {mysqld: present}")))["mysqld"]);
    }

    [Fact]
    public void TruncatedComm_IsExtendedFromTheCommandLine_AsPsutilDoes()
    {
        Process(50, "salt-minion-wor", "/usr/bin/salt-minion-worker\0--daemon");

        Assert.Single(Poll(Create(new PsBeacon(_root.Path), "- processes: {salt-minion-worker: running}")));
    }

    [Fact]
    public void OnChangeOnlyFalse_FiresEveryPoll()
    {
        var watcher = Create(new PsBeacon(_root.Path), "[{processes: {nginx: stopped}}, {onchangeonly: False}]");

        Assert.Single(Poll(watcher));
        Assert.Single(Poll(watcher));
    }

    [Theory]
    [InlineData("- interval: 1", "'processes' is required")]
    [InlineData("- processes: [nginx]", "'processes' must be a mapping")]
    public void BadConfig_NamesTheKey(string yaml, string expected) =>
        Assert.Contains(expected, ConfigError(new PsBeacon(_root.Path), yaml));

    public void Dispose() => _root.Dispose();
}
