using Orchestrator.Minion.Beacons;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class BeaconSpecTests
{
    private static BeaconSpec Parse(string name, string yaml) => BeaconSpec.Parse(name, BeaconTesting.Yaml(yaml), BeaconTesting.Registry());

    private static string Error(string name, string yaml) => Assert.Throws<BeaconConfigException>(() => Parse(name, yaml)).Message;

    [Fact]
    public void ListOfDicts_SplitsFrameworkKeysFromTheBeaconsOwn()
    {
        var spec = Parse("service", """
            - services:
                nginx:
                  onchangeonly: True
                  uncleanshutdown: /run/nginx.pid
            - interval: 5
            - disable_during_state_run: True
            """);

        Assert.Equal("service", spec.Module);
        Assert.Equal(TimeSpan.FromSeconds(5), spec.Interval);
        Assert.True(spec.DisableDuringStateRun);
        Assert.True(spec.Enabled);
        Assert.False(spec.RunOnce);
        Assert.Equal(["services"], spec.Config.Items.Select(i => i.Key));
    }

    [Fact]
    public void PlainDict_OlderForm_IsAccepted()
    {
        var spec = Parse("diskusage", """
            /: 63%
            interval: 30
            enabled: False
            """);

        Assert.Equal(TimeSpan.FromSeconds(30), spec.Interval);
        Assert.False(spec.Enabled);
        Assert.Equal(["/"], spec.Config.Items.Select(i => i.Key));
    }

    [Fact]
    public void NoInterval_IsSaltsOneSecondLoop_AndNullConfigIsEmpty()
    {
        var spec = Parse("status", "");

        Assert.Equal(TimeSpan.FromSeconds(1), spec.Interval);
        Assert.Empty(spec.Config.Items);
    }

    [Fact]
    public void BeaconModule_RunsAModuleUnderAnotherName()
    {
        var spec = Parse("watch_www", """
            - beacon_module: inotify
            - files:
                /var/www: {}
            """);

        Assert.Equal("inotify", spec.Module);
        Assert.Equal("watch_www", spec.Name);
        Assert.False(spec.Config.Has("beacon_module"));
    }

    [Fact]
    public void HiddenKeys_AreNotPassedToTheBeacon()
    {
        var spec = Parse("load", "[{averages: {1m: [0, 2]}}, {_beacon_name: load}]");

        Assert.Equal(["averages"], spec.Config.Items.Select(i => i.Key));
    }

    [Fact]
    public void ItemThatIsNotAMapping_NamesBeaconAndItem()
    {
        var message = Error("diskusage", "[{'/': 63%}, '/var']");

        Assert.Contains("beacon 'diskusage'", message);
        Assert.Contains("item 2", message);
        Assert.Contains("/var", message);
    }

    [Fact]
    public void ScalarConfig_IsAClearError()
    {
        Assert.Contains("must be a list of mappings", Error("load", "yes please"));
    }

    [Theory]
    [InlineData("[{interval: soon}]", "'interval' must be a number")]
    [InlineData("[{interval: -5}]", "'interval' must be a positive number")]
    [InlineData("[{enabled: maybe}]", "'enabled' must be True or False")]
    [InlineData("[{disable_during_state_run: 3}]", "'disable_during_state_run' must be True or False")]
    public void BadFrameworkKey_NamesBeaconAndKey(string yaml, string expected)
    {
        var message = Error("memusage", yaml);

        Assert.StartsWith("beacon 'memusage': ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void UnknownModule_SaysSoAndListsWhatIsAvailable()
    {
        var unknown = Error("nginx_watch", "[{processes: {nginx: running}}]");
        var badModule = Error("nginx_watch", "[{beacon_module: psx}]");

        Assert.Contains("no beacon module named 'nginx_watch'", unknown);
        Assert.Contains("beacon_module", unknown);
        Assert.Contains("'beacon_module' names no beacon module 'psx'", badModule);
        Assert.Contains("ps", badModule);
    }

    [Fact]
    public void Fingerprint_FollowsTheRawConfiguration()
    {
        var a = Parse("load", "[{averages: {1m: [0, 2]}}]");
        var b = Parse("load", "[{averages: {1m: [0, 2]}}]");
        var c = Parse("load", "[{averages: {1m: [0, 3]}}]");

        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
    }
}
