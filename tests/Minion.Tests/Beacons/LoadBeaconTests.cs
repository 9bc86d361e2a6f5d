using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class LoadBeaconTests : IDisposable
{
    private readonly TempDir _root = new();

    private const string Config = """
        - averages:
            1m: [0.0, 2.0]
            5m: [0.0, 1.5]
            15m: [0.1, 1.0]
        """;

    public LoadBeaconTests() => Directory.CreateDirectory(_root.Combine("proc"));

    private void Load(string text) => File.WriteAllText(_root.Combine("proc", "loadavg"), text + " 1/100 4242\n");

    private LoadBeacon Beacon => new(_root.Path);

    [Fact]
    public void OnChangeOnly_FiresWhenCrossingOutOfRange_NotWhileStayingOut()
    {
        var watcher = Create(Beacon, Config);
        Load("0.50 0.40 0.30");
        Assert.Empty(Poll(watcher));

        Load("3.00 0.40 0.30");
        var crossed = Assert.Single(Poll(watcher));
        Load("3.50 0.60 0.30");
        var stillOver = Poll(watcher);
        Load("1.00 0.60 0.30");
        var backInRange = Poll(watcher);
        Load("2.50 0.60 0.30");
        var crossedAgain = Poll(watcher);

        Assert.Equal(3.0, crossed["1m"]);
        Assert.Equal(0.4, crossed["5m"]);
        Assert.Equal(0.3, crossed["15m"]);
        Assert.Empty(stillOver);
        Assert.Empty(backInRange);
        Assert.Single(crossedAgain);
    }

    [Fact]
    public void OnChangeOnly_FiresWhenDroppingBelowLow()
    {
        var watcher = Create(Beacon, Config);
        Load("0.50 0.40 0.30");
        Poll(watcher);

        Load("0.50 0.40 0.05");

        Assert.Single(Poll(watcher));
    }

    [Fact]
    public void EmitAtStartup_FiresOnFirstPollWhenAlreadyOutOfRange_UnlessFalse()
    {
        Load("5.00 0.40 0.30");

        Assert.Single(Poll(Create(Beacon, Config)));
        Assert.Empty(Poll(Create(Beacon, Config + "\n- emitatstartup: False\n")));
    }

    [Fact]
    public void OnChangeOnlyFalse_FiresOnEveryPollWhileOutOfRange_AsSaltDoes()
    {
        var watcher = Create(Beacon, Config + "\n- onchangeonly: False\n");
        Load("5.00 0.40 0.30");

        Assert.Single(Poll(watcher));
        Assert.Single(Poll(watcher));
        Load("1.00 0.40 0.30");
        Assert.Empty(Poll(watcher));
    }

    [Theory]
    [InlineData("[{emitatstartup: True}]", "'averages' is required")]
    [InlineData("[{averages: {2m: [0, 1]}}]", "'averages:2m' is not one of 1m, 5m, 15m")]
    [InlineData("[{averages: {1m: [0, 1, 2]}}]", "'averages:1m' must be a list of two numbers")]
    [InlineData("[{averages: {1m: [0, high]}}]", "'averages:1m:1' must be a number")]
    [InlineData("[{averages: {1m: [3, 1]}}]", "low 3 is above high 1")]
    [InlineData("[{averages: {1m: [0, 1]}}, {onchangeonly: sometimes}]", "'onchangeonly' must be True or False")]
    public void BadConfig_NamesTheBeaconAndKey(string yaml, string expected)
    {
        var message = ConfigError(Beacon, yaml);

        Assert.StartsWith("beacon 'load': ", message);
        Assert.Contains(expected, message);
    }

    public void Dispose() => _root.Dispose();
}
