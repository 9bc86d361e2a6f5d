using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class ServiceBeaconTests : IDisposable
{
    private readonly FakeServiceManager _services = new();
    private readonly TempDir _dir = new();

    private ServiceBeacon Beacon => new(() => _services);

    [Fact]
    public void FiresAtStartupAndOnEachChange_WithSaltsEventShape()
    {
        _services.Running["nginx"] = true;
        var watcher = Create(Beacon, "- services: {nginx: {onchangeonly: True}}");

        var startup = Assert.Single(Poll(watcher));
        var same = Poll(watcher);
        _services.Running["nginx"] = false;
        var stopped = Assert.Single(Poll(watcher));

        Assert.Equal(true, ((Dictionary<string, object?>)startup["nginx"]!)["running"]);
        Assert.Equal("nginx", startup["service_name"]);
        Assert.Equal("nginx", startup["tag"]);
        Assert.Empty(same);
        Assert.Equal(false, ((Dictionary<string, object?>)stopped["nginx"]!)["running"]);
    }

    [Fact]
    public void NoSettings_AreChangeOnlyToo()
    {
        _services.Running["sshd"] = true;
        var watcher = Create(Beacon, "- services: {sshd: }");

        Assert.Single(Poll(watcher));
        Assert.Empty(Poll(watcher));
    }

    [Fact]
    public void EmitAtStartupFalse_StaysQuietUntilAChange()
    {
        _services.Running["nginx"] = true;
        var watcher = Create(Beacon, "- services: {nginx: {emitatstartup: False}}");

        Assert.Empty(Poll(watcher));
        _services.Running["nginx"] = false;
        Assert.Single(Poll(watcher));
    }

    [Fact]
    public void Delay_HoldsTheEventUntilTheChangeHasLasted()
    {
        var time = new FakeTimeProvider();
        _services.Running["nginx"] = true;
        var watcher = Create(Beacon, "- services: {nginx: {delay: 30, emitatstartup: False}}");
        Poll(watcher, time);

        _services.Running["nginx"] = false;
        var atChange = Poll(watcher, time);
        time.Advance(TimeSpan.FromSeconds(20));
        var early = Poll(watcher, time);
        time.Advance(TimeSpan.FromSeconds(11));
        var late = Poll(watcher, time);
        time.Advance(TimeSpan.FromSeconds(60));
        var after = Poll(watcher, time);

        Assert.Empty(atChange);
        Assert.Empty(early);
        Assert.Equal(false, ((Dictionary<string, object?>)Assert.Single(late)["nginx"]!)["running"]);
        Assert.Empty(after);
    }

    [Fact]
    public void UncleanShutdown_ReportsWhetherThePidFileWasLeftBehind_OnlyWhileDown()
    {
        var pid = _dir.Combine("nginx.pid");
        File.WriteAllText(pid, "42");
        _services.Running["nginx"] = true;
        var watcher = Create(Beacon, $"- services: {{nginx: {{uncleanshutdown: {pid}}}}}");

        var up = (Dictionary<string, object?>)Assert.Single(Poll(watcher))["nginx"]!;
        _services.Running["nginx"] = false;
        var crashed = (Dictionary<string, object?>)Assert.Single(Poll(watcher))["nginx"]!;
        _services.Running["nginx"] = true;
        Poll(watcher);
        File.Delete(pid);
        _services.Running["nginx"] = false;
        var clean = (Dictionary<string, object?>)Assert.Single(Poll(watcher))["nginx"]!;

        Assert.False(up.ContainsKey("uncleanshutdown"));
        Assert.Equal(true, crashed["uncleanshutdown"]);
        Assert.Equal(false, clean["uncleanshutdown"]);
    }

    [Fact]
    public void OnChangeOnlyFalse_FiresEveryPoll_AsSaltsDefault()
    {
        _services.Running["nginx"] = true;
        var watcher = Create(Beacon, "- services: {nginx: {onchangeonly: False}}");

        Assert.Single(Poll(watcher));
        Assert.Single(Poll(watcher));
    }

    [Theory]
    [InlineData("- interval: 5", "'services' is required")]
    [InlineData("- services: [nginx]", "'services' must be a mapping")]
    [InlineData("- services: {nginx: running}", "'services:nginx' must be a mapping")]
    [InlineData("- services: {nginx: {delay: soon}}", "'services:nginx:delay' must be a number")]
    [InlineData("- services: {nginx: {onchangeonly: perhaps}}", "'services:nginx:onchangeonly' must be True or False")]
    public void BadConfig_NamesTheBeaconAndKey(string yaml, string expected)
    {
        var message = ConfigError(Beacon, yaml);

        Assert.StartsWith("beacon 'service': ", message);
        Assert.Contains(expected, message);
    }

    public void Dispose() => _dir.Dispose();
}
