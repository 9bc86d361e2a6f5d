using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: an unauthenticated peer on loopback tries to crash or silence the master. The master keeps serving its real
/// minions through every attempt.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class HardeningTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task HugeSubscriptionOnThePublishPort_IsRefused_AndPublishesGoOn()
    {
        // NetMQ's subscription trie recurses once per byte: 256 KiB of topic used to overflow the master's stack on the next
        // publish, killing the process. The peer speaks ZMTP by hand (a NetMQ SUB would overflow its own stack first).
        using var attacker = await RawZmtpSubscriber.ConnectAsync(_cluster.MasterOptions.PublishPort);
        await attacker.SubscribeAsync(new byte[256 * 1024]);

        for (var i = 0; i < 10; i++)
        {
            var ping = await _cluster.CliAsync("web1", "test.ping");
            Assert.True(ping.ExitCode == 0, ping.ToString());
            await Task.Delay(100);
        }
        Assert.True(await attacker.IsClosedByPeerAsync(TimeSpan.FromSeconds(5)), "the master kept the peer with the oversized subscription");
    }

    [Fact]
    public async Task KeysJobDataAndTheirDirectories_AreOwnerOnly_EvenWhereAnOlderInstallLeftThemOpen()
    {
        await using var cluster = await TestCluster.StartAsync(o =>
        {
            // An older install's world-readable cache dir and database.
            Directory.CreateDirectory(o.CacheDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.WriteAllBytes(Path.Combine(o.CacheDir, "jobs.sqlite"), []);
            File.SetUnixFileMode(Path.Combine(o.CacheDir, "jobs.sqlite"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        });
        var minion = await cluster.AddMinionAsync("web9");
        Assert.Equal(0, (await cluster.CliAsync("web9", "test.ping")).ExitCode);

        const UnixFileMode directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var master = cluster.MasterOptions;
        foreach (var dir in new[] { master.CacheDir, master.PkiDir, Path.Combine(master.PkiDir, "minions"), Path.Combine(master.PkiDir, "minions_pre"),
            minion.Options.PkiDir, minion.Options.CacheDir })
        {
            Assert.True(File.GetUnixFileMode(dir) == directory, $"{dir} is {File.GetUnixFileMode(dir)}");
        }
        foreach (var path in new[] { "jobs.sqlite", "jobs.sqlite-wal", "jobs.sqlite-shm" }.Select(f => Path.Combine(master.CacheDir, f))
            .Append(Path.Combine(master.PkiDir, "master.pem")).Append(Path.Combine(minion.Options.PkiDir, "minion.pem")))
        {
            Assert.True(File.Exists(path), path);
            Assert.True(File.GetUnixFileMode(path) == file, $"{path} is {File.GetUnixFileMode(path)}");
        }
    }

    [Fact]
    public async Task ReturnFromAMinionTheJobDidNotTarget_IsRefusedAndCounted()
    {
        await _cluster.AddMinionAsync("web2");
        using var m1 = new TestPeer(_cluster.MasterOptions.RetPort, "m1");
        Assert.Equal("accepted", m1.Authenticate(_cluster.MasterService<RsaKeyPair>().Fingerprint));
        var published = await _cluster.CliAsync("--async", "web2", "test.sleep", "1");
        var jid = published.Stdout.Trim().Split(' ').Last();
        var metrics = _cluster.MasterService<MasterMetrics>();

        // m1 is authenticated and seals under its own id, but the job was aimed at web2 only.
        m1.Send(m1.Sealed(MessageType.JobReturn, WireCodec.Serialize(new JobReturn
        {
            Jid = jid, Function = "test.sleep", Return = "INJECTED-BY-m1", Success = true,
        })));

        await Poll.UntilAsync(() => metrics.Untargeted == 1, "the untargeted return counted");
        var cache = _cluster.MasterService<IJobCache>();
        await Poll.UntilAsync(() => cache.GetReturns(jid).Count == 1, "web2's real return");
        var lookup = await _cluster.CliVerbAsync("run", "jobs.lookup_jid", jid, "--out", "json");
        Assert.DoesNotContain("INJECTED", lookup.Stdout);
        Assert.Equal(["web2"], cache.GetReturns(jid).Select(r => r.MinionId));
    }

    [Fact]
    public async Task AuthHelloFlood_FromOnePeer_IsThrottledBeforeAnyRsaWork_AndMinionsKeepBeingServed()
    {
        using var flooder = new TestPeer(_cluster.MasterOptions.RetPort, "flooder");
        var hello = WireCodec.Serialize(new AuthHello { MinionId = "flooder", PublicKeyPem = flooder.PublicPem });
        var metrics = _cluster.MasterService<MasterMetrics>();

        var flood = Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                flooder.Send(flooder.Clear(MessageType.AuthHello, hello));
            }
        });
        var pings = 0;
        while (!flood.IsCompleted || pings < 5)
        {
            var ping = await _cluster.CliAsync("-t", "5", "web1", "test.ping");
            Assert.True(ping.ExitCode == 0, ping.ToString());
            pings++;
        }
        await flood;

        await Poll.UntilAsync(() => metrics.AuthThrottled > 15_000, "the flood throttled");
        // Only what the per-connection bucket let through cost a signature: the replies are few.
        var replies = 0;
        while (flooder.Receive(TimeSpan.FromMilliseconds(200)) is not null)
        {
            replies++;
        }
        Assert.InRange(replies, 1, 2_000);
    }

    [Fact]
    public async Task NewIdPerFrame_FillsAtMostMaxPendingKeys()
    {
        await using var cluster = await TestCluster.StartAsync(o =>
        {
            o.AutoAccept = false;
            o.MaxPendingKeys = 10;
            o.AuthRateLimitPerConnection = 0;
        });
        using var peer = new TestPeer(cluster.MasterOptions.RetPort, "unused");
        var metrics = cluster.MasterService<MasterMetrics>();

        for (var i = 0; i < 60; i++)
        {
            var id = $"junk{i}";
            var body = WireCodec.Serialize(new AuthHello { MinionId = id, PublicKeyPem = peer.PublicPem });
            peer.Send(EnvelopeSealer.Clear(MessageType.AuthHello, id, body, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        await Poll.UntilAsync(() => metrics.PendingKeysFull == 50, "the new ids past the cap refused");
        Assert.Equal(10, cluster.MasterService<KeyStore>().Count(KeyState.Pending));
    }

    [Fact]
    public async Task BigFramesFromAConnectionWithoutASession_AreDroppedBeforeQueueing_WhileMinionsStillSendBigReturns()
    {
        using var stranger = new TestPeer(_cluster.MasterOptions.RetPort, "stranger");
        var metrics = _cluster.MasterService<MasterMetrics>();
        var junk = new byte[1024 * 1024];
        Random.Shared.NextBytes(junk);

        for (var i = 0; i < 20; i++)
        {
            stranger.SendRaw(junk);
        }
        await Poll.UntilAsync(() => metrics.Oversized >= 20, "the stranger's frames dropped as oversized");
        var malformed = metrics.Malformed;

        // An authenticated minion's return of 300 KB is well over the handshake limit and still arrives.
        var big = new string('x', 300 * 1024);
        var echo = await _cluster.CliAsync("--out", "json", "--static", "web1", "test.echo", big);
        Assert.True(echo.ExitCode == 0, echo.Stderr);
        Assert.Contains(big, echo.Stdout);
        Assert.Equal(malformed, metrics.Malformed);
    }
}
