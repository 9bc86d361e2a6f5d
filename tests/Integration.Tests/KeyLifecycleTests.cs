using Orchestrator.Master.Auth;
using Orchestrator.Master.Events;
using Orchestrator.Master.Keys;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: auto-accept off. A new minion waits pending and gets no job; accepting it lets it in; deleting its key
/// rotates the publish key, so the removed minion can no longer read publishes and stops returning.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class KeyLifecycleTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(o => o.AutoAccept = false);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PendingKey_GetsNoJobUntilAccepted_ThenDeleteCutsItOff()
    {
        var keys = _cluster.MasterService<KeyStore>();
        await _cluster.AddMinionAsync("web1", waitForStart: false);
        await Poll.UntilAsync(() => keys.List(KeyState.Pending).Contains("web1"), "web1 pending");

        var listed = await _cluster.CliVerbAsync("key", "-L");
        Assert.Contains("Unaccepted Keys:\nweb1", listed.Stdout);
        var beforeAccept = await _cluster.CliAsync("-t", "1", "web1", "test.ping");
        Assert.Contains("No minions matched", beforeAccept.Stderr);

        using (var started = _cluster.MasterService<EventBus>().Subscribe(t => t == EventTag.MinionStart("web1")))
        {
            var accepted = await _cluster.CliVerbAsync("key", "-a", "web1", "-y");
            Assert.Equal(0, accepted.ExitCode);
            Assert.Contains("Key for minion web1 accepted.", accepted.Stdout);
            await TestCluster.WaitForEventAsync(started, "web1 start after accept");
        }
        var ping = await _cluster.CliAsync("web1", "test.ping");
        Assert.Equal(0, ping.ExitCode);
        var fingerprints = await _cluster.CliVerbAsync("key", "-f", "web1");
        Assert.Matches("web1:  ([0-9a-f]{2}:){31}[0-9a-f]{2}", fingerprints.Stdout);

        var generationBefore = _cluster.MasterService<SessionKeyring>().Current.Generation;
        var deleted = await _cluster.CliVerbAsync("key", "-d", "web1", "-y");

        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(generationBefore + 1, _cluster.MasterService<SessionKeyring>().Current.Generation);
        Assert.Empty(keys.List(KeyState.Accepted));
        // The minion reconnects and presents its key again: it is pending, so it never gets the new publish key.
        await Poll.UntilAsync(() => keys.List(KeyState.Pending).Contains("web1"), "web1 pending again");
        Assert.False(_cluster.Minions["web1"].Connection.IsAuthenticated);
    }

    [Fact]
    public async Task RejectedKey_IsCutOffAndStaysOut()
    {
        var keys = _cluster.MasterService<KeyStore>();
        await _cluster.AddMinionAsync("db1", waitForStart: false);
        await Poll.UntilAsync(() => keys.List(KeyState.Pending).Contains("db1"), "db1 pending");

        var rejected = await _cluster.CliVerbAsync("key", "-r", "db1", "-y");

        Assert.Equal(0, rejected.ExitCode);
        Assert.Equal(["db1"], keys.List(KeyState.Rejected));
        var listed = await _cluster.CliVerbAsync("key", "-l", "rejected");
        Assert.Contains("db1", listed.Stdout);
        Assert.False(_cluster.Minions["db1"].Connection.IsAuthenticated);
    }
}
