using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class MemUsageBeaconTests : IDisposable
{
    private readonly TempDir _root = new();

    public MemUsageBeaconTests() => Directory.CreateDirectory(_root.Combine("proc"));

    private void Used(long totalKb, long availableKb) =>
        File.WriteAllText(_root.Combine("proc", "meminfo"), $"MemTotal:       {totalKb} kB\nMemFree:         1000 kB\nMemAvailable:   {availableKb} kB\n");

    [Fact]
    public void FiresOnceWhenCrossingUp_AgainOnlyAfterFallingBelow()
    {
        var watcher = Create(new MemUsageBeacon(_root.Path), "- percent: 63%");
        Used(1000, 500);
        var below = Poll(watcher);
        Used(1000, 300);
        var crossed = Poll(watcher);
        Used(1000, 200);
        var stillOver = Poll(watcher);
        Used(1000, 900);
        var fell = Poll(watcher);
        Used(1000, 100);
        var again = Poll(watcher);

        Assert.Empty(below);
        Assert.Equal(70.0, Assert.Single(crossed)["memusage"]);
        Assert.Empty(stillOver);
        Assert.Empty(fell);
        Assert.Equal(90.0, Assert.Single(again)["memusage"]);
    }

    [Fact]
    public void OnChangeOnlyFalse_FiresEveryPollWhileOver()
    {
        var watcher = Create(new MemUsageBeacon(_root.Path), "[{percent: 50}, {onchangeonly: False}]");
        Used(1000, 100);

        Assert.Single(Poll(watcher));
        Assert.Single(Poll(watcher));
    }

    [Theory]
    [InlineData("[{interval: 5}]", "'percent' is required")]
    [InlineData("[{percent: lots}]", "'percent' must be a percentage")]
    [InlineData("[{percent: 140%}]", "'percent' must be a percentage")]
    public void BadConfig_NamesTheKey(string yaml, string expected) =>
        Assert.Contains(expected, ConfigError(new MemUsageBeacon(_root.Path), yaml));

    public void Dispose() => _root.Dispose();
}
