using Orchestrator.Master.Hosting;
using Orchestrator.Master.Reactor;
using Orchestrator.Shared.Config;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Reactor;

public sealed class ReactorOptionsTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();
    private readonly List<string> _warnings = [];

    public void Dispose() => _dir.Dispose();

    private MasterOptions Load(string yaml)
    {
        File.WriteAllText(_dir.Combine("master"), yaml);
        return MasterOptions.Load(_dir.Path, _warnings.Add);
    }

    [Fact]
    public void Defaults_StormProtectionOn()
    {
        var reactor = Load("").Reactor;

        Assert.Empty(reactor.Rules);
        Assert.Equal(10, reactor.WorkerThreads);
        Assert.Equal(10_000, reactor.QueueCapacity);
        Assert.Equal(TimeSpan.FromSeconds(60), reactor.RefreshInterval);
        Assert.Equal(20, reactor.RateLimitCount);
        Assert.Equal(TimeSpan.FromSeconds(10), reactor.RateLimitPer);
        Assert.Equal(TimeSpan.FromSeconds(1), reactor.DedupWindow);
    }

    [Fact]
    public void SaltReactorMap_ReadInOrder_WithoutWarnings()
    {
        var options = Load("""
            reactor:
              - 'salt/minion/*/start':
                - /srv/reactor/start.sls
                - salt://reactor/highstate.sls
              - 'salt/auth': /srv/reactor/auth.sls
            reactor_worker_threads: 3
            reactor_worker_hwm: 50
            reactor_refresh_interval: 5
            reactor_rate_limit: {count: 7, per: 30}
            reactor_dedup_window: 0
            """);

        var rules = options.Reactor.Rules;
        Assert.Equal(["salt/minion/*/start", "salt/auth"], rules.Select(r => r.Tag));
        Assert.Equal(["/srv/reactor/start.sls", "salt://reactor/highstate.sls"], rules[0].Files);
        Assert.Equal(["/srv/reactor/auth.sls"], rules[1].Files);
        Assert.Equal(3, options.Reactor.WorkerThreads);
        Assert.Equal(50, options.Reactor.QueueCapacity);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Reactor.RefreshInterval);
        Assert.Equal(7, options.Reactor.RateLimitCount);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Reactor.RateLimitPer);
        Assert.Equal(TimeSpan.Zero, options.Reactor.DedupWindow);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void ReactorAsPath_IsTheMapFile()
    {
        var options = Load("reactor: /etc/orchestrator/reactor.conf\n");

        Assert.Equal("/etc/orchestrator/reactor.conf", options.Reactor.MapFile);
        Assert.Empty(options.Reactor.Rules);
    }

    [Theory]
    [InlineData("reactor:\n  - /srv/reactor/a.sls\n", "entry 1")]
    [InlineData("reactor:\n  - {a: x.sls, b: y.sls}\n", "entry 1")]
    [InlineData("reactor:\n  - 'a': x.sls\n  - 'b': {c: d}\n", "'b'")]
    [InlineData("reactor:\n  - 'a': []\n", "'a'")]
    [InlineData("reactor: {a: x.sls}\n", "expected a list")]
    public void MalformedMap_FailsNamingTheKeyAndEntry(string yaml, string detail)
    {
        var error = Assert.Throws<ConfigException>(() => Load(yaml));

        Assert.Contains("'reactor'", error.Message);
        Assert.Contains(detail, error.Message);
        Assert.Contains(_dir.Combine("master"), error.Message);
    }

    [Fact]
    public void RateLimit_NotANumber_FailsNamingTheKey()
    {
        var error = Assert.Throws<ConfigException>(() => Load("reactor_rate_limit: {count: lots}\n"));

        Assert.Contains("reactor_rate_limit:count", error.Message);
    }

    [Theory]
    [InlineData("salt/minion/*/start", "salt/minion/web1/start", true)]
    [InlineData("salt/minion/*/start", "salt/minion/web1/stop", false)]
    [InlineData("salt/job/*/ret/*", "salt/job/20260501/ret/web1", true)]
    [InlineData("salt/auth", "salt/auth", true)]
    [InlineData("salt/auth", "salt/authx", false)]
    [InlineData("myorg/deploy/[ab]*", "myorg/deploy/alpha", true)]
    [InlineData("myorg/deploy/[ab]*", "myorg/deploy/gamma", false)]
    [InlineData("Salt/auth", "salt/auth", false)]
    [InlineData("*", "anything/at/all", true)]
    public void Rule_MatchesTagsAsFnmatch(string glob, string tag, bool expected) =>
        Assert.Equal(expected, new ReactorRule(glob, ["/x.sls"]).Matches(tag));
}
