using Orchestrator.Master.Events;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: hostile peers on the request port. Each attack class from Salt's CVE history is tried against a live master and
/// must fail, be counted, and leave the master serving its real minions.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class TransportSecurityTests : IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private MasterMetrics Metrics => _cluster.MasterService<MasterMetrics>();

    private string MasterFingerprint => _cluster.MasterService<RsaKeyPair>().Fingerprint;

    private async Task AssertStillServingAsync()
    {
        var ping = await _cluster.CliAsync("web1", "test.ping");
        Assert.Equal(0, ping.ExitCode);
    }

    [Fact]
    public async Task UnauthenticatedPeer_TryingEveryKindUnsealed_GetsNothing()
    {
        using var peer = new TestPeer(_cluster.MasterOptions.RetPort, "intruder");
        using var events = _cluster.MasterService<EventBus>().Subscribe(_ => true);
        var jid = _cluster.MasterService<JobDispatcher>().NewJid();
        foreach (var kind in Enum.GetValues<MessageType>().Where(k => k is not MessageType.AuthHello and not MessageType.AuthProof))
        {
            // Clear bodies that would mean something if the master dispatched them unsealed.
            var body = kind switch
            {
                MessageType.JobReturn => WireCodec.Serialize(new JobReturn { Jid = jid, Function = "test.ping", Return = true }),
                MessageType.EventFire => WireCodec.Serialize(new EventFire { Tag = "evil", Data = new() }),
                MessageType.FileRequest => WireCodec.Serialize(new FileRequest { Path = "top.sls", Saltenv = "base" }),
                MessageType.PillarRequest => WireCodec.Serialize(new PillarRequest { Saltenv = "base" }),
                _ => [],
            };
            peer.Send(peer.Clear(kind, body));
            var reply = peer.Receive(Quiet);
            Assert.True(reply is null || reply.Kind == MessageType.AuthRequired, $"{kind} got a {reply?.Kind} reply");
            Assert.True(reply is null || reply.Body.Length == 0);
        }

        Assert.False(events.Reader.TryRead(out var leaked), $"an event leaked: {leaked?.Tag}");
        Assert.Empty(_cluster.MasterService<IJobCache>().GetReturns(jid));
        Assert.True(Metrics.RefusedKind + Metrics.Unauthenticated >= Enum.GetValues<MessageType>().Length - 2);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task MalformedOversizedAndWrongVersionFrames_AreDroppedAndCounted()
    {
        using var peer = new TestPeer(_cluster.MasterOptions.RetPort, "fuzzer");
        var malformedBefore = Metrics.Malformed;
        var oversizedBefore = Metrics.Oversized;

        peer.SendRaw([0xc1, 0xff, 0x00, 0x13]);
        peer.SendRaw(new byte[_cluster.MasterOptions.MaxMessageSize + 1]);
        var old = peer.Clear(MessageType.AuthHello, []);
        old.Version = 0;
        peer.Send(old);

        await Poll.UntilAsync(() => Metrics.Malformed >= malformedBefore + 2 && Metrics.Oversized == oversizedBefore + 1, "drops counted");
        Assert.Null(peer.Receive(Quiet));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task ReplayedRequest_IsRefusedTheSecondTime()
    {
        using var peer = new TestPeer(_cluster.MasterOptions.RetPort, "replayer");
        Assert.Equal("accepted", peer.Authenticate(MasterFingerprint));
        var heartbeat = peer.Sealed(MessageType.Heartbeat, WireCodec.Serialize(new Heartbeat()));
        var replayedBefore = Metrics.Replayed;

        peer.Send(heartbeat);
        var first = peer.Receive(TimeSpan.FromSeconds(5));
        peer.Send(heartbeat);
        var second = peer.Receive(Quiet);

        Assert.Equal(MessageType.Ack, first?.Kind);
        Assert.Null(second);
        // The master counts a drop after it stops answering: poll the counter rather than race it on a busy machine.
        await Poll.UntilAsync(() => Metrics.Replayed == replayedBefore + 1, "the replay counted");
        var stale = EnvelopeSealer.Seal(MessageType.Heartbeat, peer.Id, peer.SessionKey!, [], DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
        peer.Send(stale);
        Assert.Null(peer.Receive(Quiet));
        await Poll.UntilAsync(() => Metrics.Replayed == replayedBefore + 2, "the stale request counted");
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task AuthenticatedMinion_CannotReturnOrFireEventsAsAnother()
    {
        using var peer = new TestPeer(_cluster.MasterOptions.RetPort, "evil");
        Assert.Equal("accepted", peer.Authenticate(MasterFingerprint));
        var published = await _cluster.CliAsync("--async", "web1", "test.sleep", "1");
        var jid = published.Stdout.Trim().Split(' ').Last();
        using var events = _cluster.MasterService<EventBus>().Subscribe(t => t.Contains("web1") && !t.Contains("/ret/web1"));
        var forgedBefore = Metrics.Forged;

        // Claiming web1's id with evil's key: the seal does not open under web1's key.
        peer.Send(peer.Sealed(MessageType.JobReturn, WireCodec.Serialize(new JobReturn
        {
            Jid = jid, Function = "test.sleep", Return = "forged", Success = true,
        }), claimedSender: "web1"));
        Assert.Equal(MessageType.AuthRequired, peer.Receive(TimeSpan.FromSeconds(5))?.Kind);
        // Under its own id, it may not fire tags naming another minion or the master.
        peer.Send(peer.Sealed(MessageType.EventFire, WireCodec.Serialize(new EventFire { Tag = "salt/minion/web1/start", Data = new() })));
        var refusedMaster = peer.Receive(TimeSpan.FromSeconds(5));
        peer.Send(peer.Sealed(MessageType.EventFire, WireCodec.Serialize(new EventFire { Tag = "salt/beacon/web1/load/", Data = new() })));
        var refusedBeacon = peer.Receive(TimeSpan.FromSeconds(5));

        Assert.Equal(MessageType.Error, refusedMaster?.Kind);
        Assert.Equal(MessageType.Error, refusedBeacon?.Kind);
        await Poll.UntilAsync(() => Metrics.Forged > forgedBefore, "forged return counted");
        var cache = _cluster.MasterService<IJobCache>();
        await Poll.UntilAsync(() => cache.GetReturns(jid).Count == 1, "web1's real return");
        Assert.Equal(true, cache.GetReturns(jid).Single().Return);
        Assert.False(events.Reader.TryRead(out var leaked), $"an event leaked: {leaked?.Tag}");
    }

    [Fact]
    public void ProofWithTheWrongKey_IsRefused()
    {
        using var owner = new TestPeer(_cluster.MasterOptions.RetPort, "owner");
        Assert.Equal("accepted", owner.Authenticate(MasterFingerprint));
        using var thief = new TestPeer(_cluster.MasterOptions.RetPort, "owner");

        // The thief presents the owner's public key but cannot sign with the owner's private key.
        thief.Send(thief.Clear(MessageType.AuthHello, WireCodec.Serialize(new AuthHello { MinionId = "owner", PublicKeyPem = owner.PublicPem })));
        var challenge = WireCodec.Deserialize<AuthChallenge>(thief.Receive(TimeSpan.FromSeconds(5))!.Body);
        thief.Send(thief.Clear(MessageType.AuthProof, WireCodec.Serialize(new AuthProof
        {
            MinionId = "owner",
            Challenge = challenge.Challenge,
            Signature = AuthTranscript.Sign(thief.Key, challenge.Challenge, "owner", MasterFingerprint),
        })));
        var result = WireCodec.Deserialize<AuthResult>(thief.Receive(TimeSpan.FromSeconds(5))!.Body);

        Assert.Equal("failed", result.Status);
        Assert.Empty(result.EncryptedMinionKey);
    }

    [Fact]
    public async Task TraversalInMinionIdOrFilePath_IsRefused()
    {
        using var peer = new TestPeer(_cluster.MasterOptions.RetPort, "../../etc/passwd");
        peer.Send(peer.Clear(MessageType.AuthHello, WireCodec.Serialize(new AuthHello { MinionId = "../../etc/passwd", PublicKeyPem = peer.PublicPem })));
        Assert.Null(peer.Receive(Quiet));

        var roots = Directory.CreateDirectory(_cluster.Root.Combine("states")).FullName;
        await File.WriteAllTextAsync(Path.Combine(roots, "top.sls"), "base: {}\n");
        await File.WriteAllTextAsync(_cluster.Root.Combine("secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(roots, "escape.txt"), _cluster.Root.Combine("secret.txt"));
        _cluster.MasterOptions.FileRoots["base"] = [roots];
        using var minion = new TestPeer(_cluster.MasterOptions.RetPort, "reader");
        Assert.Equal("accepted", minion.Authenticate(MasterFingerprint));
        FileResponse Fetch(string path)
        {
            minion.Send(minion.Sealed(MessageType.FileRequest, WireCodec.Serialize(new FileRequest { Path = path, Saltenv = "base" })));
            return WireCodec.Deserialize<FileResponse>(EnvelopeSealer.Open(minion.Receive(TimeSpan.FromSeconds(5))!, minion.SessionKey!));
        }

        Assert.True(Fetch("top.sls").Found);
        foreach (var attack in new[] { "../secret.txt", "/etc/passwd", "escape.txt", "salt://../secret.txt", "a/../../secret.txt" })
        {
            var file = Fetch(attack);
            Assert.False(file.Found, attack);
            Assert.Empty(file.Contents);
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public void PillarReply_IsSealedToTheMinionAndSignedByTheMaster()
    {
        using var minion = new TestPeer(_cluster.MasterOptions.RetPort, "pillar-reader");
        Assert.Equal("accepted", minion.Authenticate(MasterFingerprint));

        minion.Send(minion.Sealed(MessageType.PillarRequest, WireCodec.Serialize(new PillarRequest { Saltenv = "base" })));
        var reply = minion.Receive(TimeSpan.FromSeconds(5))!;

        Assert.Equal(MessageType.PillarResponse, reply.Kind);
        Assert.True(EnvelopeSigner.Verify(reply, _cluster.MasterService<RsaKeyPair>().Rsa));
        Assert.NotNull(WireCodec.Deserialize<PillarResponse>(EnvelopeSealer.Open(reply, minion.SessionKey!)));
        reply.Body[0] ^= 1;
        Assert.False(EnvelopeSigner.Verify(reply, _cluster.MasterService<RsaKeyPair>().Rsa));
    }
}
