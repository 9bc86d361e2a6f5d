using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Events;

public sealed class PresenceWatcherTests : IDisposable
{
    private static readonly Lazy<string> Pem = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    });

    private readonly TempDir _dir = Some.TempDir();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly KeyStore _keys;
    private readonly SqliteJobCache _cache;
    private readonly MinionDirectory _minions;
    private readonly EventBus _bus;
    private readonly PresenceWatcher _watcher;

    public PresenceWatcherTests()
    {
        _keys = new KeyStore(_dir.Combine("pki"));
        _cache = new SqliteJobCache(_dir.Combine("jobs.sqlite"));
        _minions = new MinionDirectory(_cache);
        _bus = new EventBus(_time);
        var options = new MasterOptions { PresenceEvents = true, PresenceTimeout = TimeSpan.FromSeconds(30) };
        _watcher = new PresenceWatcher(options, _keys, _minions, _bus, _time, NullLogger<PresenceWatcher>.Instance);
        foreach (var id in new[] { "web1", "web2" })
        {
            _keys.Observe(id, Pem.Value, autoAccept: true);
        }
    }

    public void Dispose()
    {
        _cache.Dispose();
        _dir.Dispose();
    }

    private List<MasterEvent> Round()
    {
        using var subscription = _bus.Subscribe(tag => tag.StartsWith("salt/presence/", StringComparison.Ordinal));
        _watcher.Check();
        var events = new List<MasterEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            events.Add(e);
        }
        return events;
    }

    private static List<object?> Field(MasterEvent e, string key) => (List<object?>)e.Data[key]!;

    [Fact]
    public void Check_ReportsNewThenNothingThenLost()
    {
        _minions.Touch("web1", _time.GetUtcNow());
        _minions.Touch("web2", _time.GetUtcNow());

        var first = Round();
        _time.Advance(TimeSpan.FromSeconds(20));
        _minions.Touch("web2", _time.GetUtcNow());
        var steady = Round();
        _time.Advance(TimeSpan.FromSeconds(15));
        var afterTimeout = Round();

        Assert.Equal(["salt/presence/change", "salt/presence/present"], first.Select(e => e.Tag));
        Assert.Equal(["web1", "web2"], Field(first[0], "new"));
        Assert.Empty(Field(first[0], "lost"));
        var only = Assert.Single(steady);
        Assert.Equal(["web1", "web2"], Field(only, "present"));
        Assert.Equal(["salt/presence/change", "salt/presence/present"], afterTimeout.Select(e => e.Tag));
        Assert.Equal(["web1"], Field(afterTimeout[0], "lost"));
        Assert.Equal(["web2"], Field(afterTimeout[1], "present"));
    }

    [Fact]
    public void Check_MinionWithoutAcceptedKey_IsNotPresent()
    {
        _minions.Touch("stranger", _time.GetUtcNow());

        var events = Round();

        Assert.Empty(Field(events.Single(e => e.Tag == "salt/presence/present"), "present"));
    }
}
