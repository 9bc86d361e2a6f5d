using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Transport;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class BeaconEventSenderTests : IAsyncLifetime
{
    private readonly FakeMinionEvents _master = new();
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();
    private BeaconEventSender _sender = null!;
    private Task _loop = Task.CompletedTask;

    public Task InitializeAsync()
    {
        _sender = new BeaconEventSender(_master, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), _time, NullLogger.Instance, capacity: 5);
        return Task.CompletedTask;
    }

    private void Run() => _loop = Task.Run(() => _sender.RunAsync(_stop.Token));

    private static Dictionary<string, object?> Data(int n) => new(StringComparer.Ordinal) { ["n"] = (long)n };

    private Task DeliveredAsync(int count, string phase) => Poll.UntilAsync(() => _master.MasterSnapshot().Count >= count, phase);

    [Fact]
    public async Task MasterUp_DeliversEveryEventInOrder()
    {
        Run();
        for (var i = 0; i < 3; i++)
        {
            _sender.Enqueue("salt/beacon/m/inotify//tmp", Data(i));
        }

        await DeliveredAsync(3, "three events delivered");

        Assert.Equal([0L, 1L, 2L], _master.MasterSnapshot().Select(e => e.Data["n"]));
        Assert.Equal(new BeaconEventStats(3, 3, 0, 0, 0, 0, true), _sender.Stats);
    }

    [Fact]
    public async Task MasterDown_KeepsTheNewestPerTag_ThenDeliversThemWhenItAnswers()
    {
        _master.Unreachable = new MasterUnreachableException("no reply to EventFire within 60s");
        Run();
        _sender.Enqueue("salt/beacon/m/load/", Data(1));
        await Poll.UntilAsync(() => _sender.RetryWait == TimeSpan.FromSeconds(1), "the first send fails");

        _sender.Enqueue("salt/beacon/m/load/", Data(2));
        _sender.Enqueue("salt/beacon/m/diskusage/", Data(3));
        _sender.Enqueue("salt/beacon/m/load/", Data(4));
        var whileDown = _sender.Stats;
        _master.Unreachable = null;
        _time.Advance(TimeSpan.FromSeconds(1));
        await DeliveredAsync(2, "the coalesced events delivered");

        Assert.Equal(2, whileDown.Coalesced);
        Assert.False(whileDown.MasterReachable);
        var delivered = _master.MasterSnapshot();
        Assert.Equal([("salt/beacon/m/diskusage/", 3L), ("salt/beacon/m/load/", 4L)], delivered.Select(e => (e.Tag, e.Data["n"])));
        var stats = _sender.Stats;
        Assert.True(stats.MasterReachable);
        Assert.Equal(2, stats.Coalesced);
        Assert.Equal(2, stats.Delivered);
        Assert.True(stats.Failures >= 1);
    }

    [Fact]
    public async Task MasterDown_RetriesWithGrowingWaits_NotInATightLoop()
    {
        _master.Unreachable = new MasterUnreachableException("not connected");
        Run();
        _sender.Enqueue("salt/beacon/m/load/", Data(1));
        await Poll.UntilAsync(() => _sender.RetryWait == TimeSpan.FromSeconds(1), "first attempt failed");

        _time.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => _sender.RetryWait == TimeSpan.FromSeconds(2), "second attempt failed");
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterAnotherSecond = _master.Attempts;
        _time.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => _sender.RetryWait == TimeSpan.FromSeconds(4), "third attempt failed");

        Assert.Equal(2, afterAnotherSecond);
        Assert.Equal(3, _master.Attempts);
    }

    [Fact]
    public void FullQueue_DropsTheOldest_AndCountsThem()
    {
        for (var i = 0; i < 8; i++)
        {
            _sender.Enqueue($"salt/beacon/m/t{i}/", Data(i));
        }

        Assert.Equal(5, _sender.Pending);
        Assert.Equal(3, _sender.Stats.Dropped);
    }

    [Fact]
    public async Task RefusedTag_IsCountedAndDropped()
    {
        _master.Refuses = tag => tag.StartsWith("salt/job/", StringComparison.Ordinal);
        Run();
        _sender.Enqueue("salt/job/123/ret/m", Data(1));
        _sender.Enqueue("salt/beacon/m/load/", Data(2));

        await DeliveredAsync(1, "the allowed event");
        await Poll.UntilAsync(() => _sender.Stats.Refused == 1, "the refusal counted");

        Assert.Equal("salt/beacon/m/load/", Assert.Single(_master.MasterSnapshot()).Tag);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}
