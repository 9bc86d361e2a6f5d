using System.Security.Cryptography;
using NetMQ;
using NetMQ.Sockets;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Bench.Swarm;

/// <summary>
/// One simulated minion: its own id, RSA key, DEALER and SUB, speaking the real protocol (challenge–response auth,
/// MinionStart with grains, verified and opened publishes, JobReturn until ReturnAck, heartbeats) and delivering returns the
/// way <c>JobRunner</c> does (see <see cref="Tick"/>). Every member
/// is touched only by the thread of the <see cref="SwarmLoop"/> that owns it, so nothing here takes a lock.
/// </summary>
public sealed class SimMinion : IDisposable
{
    private readonly SwarmLoop _loop;
    private readonly RSA _key;
    private readonly string _publicPem;
    private readonly MinionFacts _facts;
    private readonly ReplayGuard _replay;
    private readonly HashSet<string> _seenJobs = new(StringComparer.Ordinal);
    // The outbox: returns not yet acknowledged, by jid (the real minion keeps one file per jid and flushes them in jid order).
    private readonly SortedDictionary<string, JobReturn> _outbox = new(StringComparer.Ordinal);
    // Sends awaiting their ReturnAck, by request nonce; an attempt that gets no ack within the auth timeout is given up.
    private readonly Dictionary<string, PendingAttempt> _attempts = new(StringComparer.Ordinal);
    private long _nextFlushMs;
    private bool _flushing;
    private DealerSocket? _dealer;
    private SubscriberSocket? _subscriber;
    private byte[]? _outstanding;
    private byte[]? _challenge;
    private byte[]? _minionKey;
    private (int Generation, byte[] Key)? _publishKey;
    private long _nextHeartbeatMs;
    private EventFirer? _firer;

    public SimMinion(SwarmLoop loop, int index, RSA key)
    {
        _loop = loop;
        Index = index;
        Id = $"swarm-{index:D5}";
        _key = key;
        _publicPem = key.ExportSubjectPublicKeyInfoPem();
        _facts = new MinionFacts(Id, Grains(Id, index));
        _replay = new ReplayGuard(loop.Settings.ReplayWindow, TimeProvider.System);
    }

    public int Index { get; }

    public string Id { get; }

    public MinionStage Stage { get; private set; } = MinionStage.Idle;

    /// <summary>When the current stage began, or when a waiting minion should try again (loop clock, ms).</summary>
    public long StageSinceMs { get; private set; }

    public bool InHandshake => Stage is MinionStage.HelloSent or MinionStage.ProofSent or MinionStage.StartSent or MinionStage.Waiting;

    private static Dictionary<string, object?> Grains(string id, int index) => new(StringComparer.Ordinal)
    {
        ["id"] = id,
        ["host"] = id,
        ["os"] = "Debian",
        ["os_family"] = "Debian",
        ["kernel"] = "Linux",
        ["osrelease"] = "12",
        ["roles"] = new List<object?> { index % 10 == 0 ? "db" : "web" },
        ["swarm_index"] = (long)index,
    };

    /// <summary>Creates the sockets on the loop thread, adds them to its poller and starts the handshake.</summary>
    public void Connect(NetMQPoller poller, long nowMs)
    {
        var settings = _loop.Settings;
        _dealer = new DealerSocket();
        _dealer.Options.Linger = TimeSpan.Zero;
        _dealer.Options.SendHighWatermark = 10_000;
        _subscriber = new SubscriberSocket();
        _subscriber.Options.Linger = TimeSpan.Zero;
        _subscriber.Options.ReceiveHighWatermark = 100_000;
        _subscriber.Subscribe("all/");
        _subscriber.Subscribe($"m/{Id}/");
        _dealer.ReceiveReady += (_, e) => OnDealerReady(e.Socket);
        _subscriber.ReceiveReady += (_, e) => OnSubscriberReady(e.Socket);
        _dealer.Connect($"tcp://{settings.Master}:{settings.RetPort}");
        _subscriber.Connect($"tcp://{settings.Master}:{settings.PublishPort}");
        poller.Add(_dealer);
        poller.Add(_subscriber);
        SendHello(nowMs);
    }

    private void SendHello(long nowMs)
    {
        _minionKey = null;
        var hello = EnvelopeSealer.Clear(MessageType.AuthHello, Id, WireCodec.Serialize(new AuthHello
        {
            MinionId = Id,
            PublicKeyPem = _publicPem,
        }), UnixNow());
        _outstanding = hello.Nonce;
        SetStage(MinionStage.HelloSent, nowMs);
        Send(hello);
    }

    private void SetStage(MinionStage stage, long nowMs)
    {
        var wasHandshake = InHandshake;
        Stage = stage;
        StageSinceMs = nowMs;
        if (wasHandshake && !InHandshake)
        {
            _loop.HandshakeEnded();
        }
        else if (!wasHandshake && InHandshake)
        {
            _loop.HandshakeStarted();
        }
    }

    /// <summary>
    /// Called by the loop's timer: handshake timeouts, return re-sends and heartbeats. Returns are re-sent as the real minion
    /// does: each job's return is sent once when the job ends; whatever is still unacknowledged is sent again by a periodic
    /// flush (every heartbeat interval), one return at a time, the next only after the previous one's ack, and the flush
    /// stops at the first return that gets no ack in time.
    /// </summary>
    public void Tick(long nowMs)
    {
        var settings = _loop.Settings;
        switch (Stage)
        {
            case MinionStage.HelloSent or MinionStage.ProofSent or MinionStage.StartSent
                when nowMs - StageSinceMs > settings.AuthTimeout.TotalMilliseconds:
            case MinionStage.Waiting when nowMs >= StageSinceMs:
                Interlocked.Increment(ref _loop.Counters.AuthRetries);
                SendHello(nowMs);
                return;
            case MinionStage.Ready:
                break;
            default:
                return;
        }
        ExpireAttempts(nowMs);
        if (nowMs >= _nextFlushMs)
        {
            _nextFlushMs = nowMs + (long)settings.OutboxFlushInterval.TotalMilliseconds;
            if (!_flushing)
            {
                _flushing = true;
                FlushNext(nowMs);
            }
        }
        if (settings.HeartbeatInterval > TimeSpan.Zero && nowMs >= _nextHeartbeatMs)
        {
            _nextHeartbeatMs = nowMs + (long)settings.HeartbeatInterval.TotalMilliseconds;
            Interlocked.Increment(ref _loop.Counters.HeartbeatsSent);
            SendSealed(MessageType.Heartbeat, WireCodec.Serialize(new Heartbeat()), nowMs);
        }
    }

    private void OnDealerReady(NetMQSocket socket)
    {
        while (socket.TryReceiveFrameBytes(TimeSpan.Zero, out var frame))
        {
            var nowMs = _loop.NowMs;
            if (!WireCodec.TryDecodeEnvelope(frame, int.MaxValue, out var envelope, out _))
            {
                Interlocked.Increment(ref _loop.Counters.RepliesDropped);
                continue;
            }
            if (envelope.Kind == MessageType.JobPublish && envelope.ReplyTo is null)
            {
                ReceivePublish(frame);
                continue;
            }
            if (envelope.ReplyTo is null)
            {
                Interlocked.Increment(ref _loop.Counters.RepliesDropped);
                continue;
            }
            try
            {
                HandleReply(envelope, nowMs);
            }
            catch (Exception e) when (e is CryptographicException or WireFormatException)
            {
                Interlocked.Increment(ref _loop.Counters.RepliesDropped);
            }
        }
    }

    private void HandleReply(Envelope envelope, long nowMs)
    {
        if (envelope.Kind == MessageType.AuthRequired)
        {
            // The master lost our session (restart, or a key rotation cut us off): authenticate again.
            Interlocked.Increment(ref _loop.Counters.Reauths);
            SendHello(nowMs);
            return;
        }
        if (envelope.Kind is MessageType.AuthChallenge or MessageType.AuthResult)
        {
            HandleAuthReply(envelope, nowMs);
            return;
        }
        if (_minionKey is null)
        {
            Interlocked.Increment(ref _loop.Counters.RepliesDropped);
            return;
        }
        var plaintext = EnvelopeSealer.Open(envelope, _minionKey);
        if (_replay.Check("master", envelope.Timestamp, envelope.Nonce) is not null)
        {
            Interlocked.Increment(ref _loop.Counters.RepliesDropped);
            return;
        }
        if (_firer is not null && _firer.OnReply(envelope))
        {
            FireEvents(nowMs);
            return;
        }
        switch (envelope.Kind)
        {
            case MessageType.Ack when Stage == MinionStage.StartSent && IsOutstanding(envelope):
                _outstanding = null;
                SetStage(MinionStage.Ready, nowMs);
                // Spread heartbeats over the interval so the swarm does not beat in step.
                _nextHeartbeatMs = nowMs + Random.Shared.NextInt64(1, Math.Max(2, (long)_loop.Settings.HeartbeatInterval.TotalMilliseconds));
                Interlocked.Increment(ref _loop.Counters.Ready);
                break;
            case MessageType.ReturnAck:
                var ack = WireCodec.Deserialize<ReturnAck>(plaintext);
                if (_attempts.Remove(Convert.ToHexString(envelope.ReplyTo!), out var attempt) && attempt.Return.Jid == ack.Jid)
                {
                    Interlocked.Increment(ref _loop.Counters.ReturnAcks);
                    _outbox.Remove(ack.Jid);
                    if (attempt.Flush)
                    {
                        FlushNext(nowMs);
                    }
                }
                else
                {
                    // The attempt had timed out: the real minion has forgotten the request, and the return stays in its outbox.
                    Interlocked.Increment(ref _loop.Counters.LateReturnAcks);
                }
                break;
            case MessageType.SessionKeyResponse:
                var response = WireCodec.Deserialize<SessionKeyResponse>(plaintext);
                _publishKey = (response.Generation, response.Key);
                break;
        }
    }

    /// <summary>Starts firing <paramref name="load"/> (see <see cref="EventFirer"/>); false when this minion is not authenticated.</summary>
    public bool StartFiring(EventLoad load, long nowMs)
    {
        if (Stage != MinionStage.Ready)
        {
            return false;
        }
        _firer = new EventFirer(load, Id, _loop.Counters, nowMs, (long)_loop.Settings.AuthTimeout.TotalMilliseconds);
        return !FireEvents(nowMs);
    }

    /// <summary>Sends the events now due; true once this minion's share of the load is done (or it has none).</summary>
    public bool FireEvents(long nowMs) =>
        _firer is null || _firer.Pump(nowMs, body => SendSealed(MessageType.EventFire, body, nowMs));

    private bool IsOutstanding(Envelope reply) =>
        _outstanding is { } nonce && reply.ReplyTo is { } replyTo && nonce.AsSpan().SequenceEqual(replyTo);

    private void HandleAuthReply(Envelope envelope, long nowMs)
    {
        if (!IsOutstanding(envelope) || _replay.Check("master", envelope.Timestamp, envelope.Nonce) is not null)
        {
            Interlocked.Increment(ref _loop.Counters.RepliesDropped);
            return;
        }
        if (envelope.Kind == MessageType.AuthChallenge && Stage == MinionStage.HelloSent)
        {
            var challenge = WireCodec.Deserialize<AuthChallenge>(envelope.Body);
            if (!_loop.TrustMaster(challenge.MasterPublicKeyPem, envelope))
            {
                Interlocked.Increment(ref _loop.Counters.RepliesDropped);
                return;
            }
            if (challenge.Status != "accepted")
            {
                // Pending key: ask again later, as acceptance_wait_time does.
                SetStage(MinionStage.Waiting, nowMs + 1000);
                return;
            }
            _challenge = challenge.Challenge;
            var proof = EnvelopeSealer.Clear(MessageType.AuthProof, Id, WireCodec.Serialize(new AuthProof
            {
                MinionId = Id,
                Challenge = challenge.Challenge,
                Signature = AuthTranscript.Sign(_key, challenge.Challenge, Id, _loop.Settings.MasterFingerprint),
            }), UnixNow());
            _outstanding = proof.Nonce;
            SetStage(MinionStage.ProofSent, nowMs);
            Send(proof);
            return;
        }
        if (envelope.Kind == MessageType.AuthResult && Stage == MinionStage.ProofSent)
        {
            if (!_loop.VerifyMaster(envelope))
            {
                Interlocked.Increment(ref _loop.Counters.RepliesDropped);
                return;
            }
            var result = WireCodec.Deserialize<AuthResult>(envelope.Body);
            if (result.Status != "accepted" || _challenge is null || !result.Challenge.AsSpan().SequenceEqual(_challenge))
            {
                SetStage(MinionStage.Waiting, nowMs + 1000);
                return;
            }
            var (minionKey, publishKey) = AuthResultKeys.Open(result, _key);
            _minionKey = minionKey;
            _publishKey = (result.SessionKeyGeneration, publishKey);
            var start = SendSealed(MessageType.MinionStart, WireCodec.Serialize(new MinionStart
            {
                Grains = new Dictionary<string, object?>(_facts.Grains, StringComparer.Ordinal),
            }), nowMs);
            _outstanding = start;
            SetStage(MinionStage.StartSent, nowMs);
        }
    }

    private void OnSubscriberReady(NetMQSocket socket)
    {
        var message = new NetMQMessage();
        while (socket.TryReceiveMultipartMessage(TimeSpan.Zero, ref message))
        {
            if (message.FrameCount != 2)
            {
                continue;
            }
            ReceivePublish(message[1].ToByteArray());
        }
    }

    /// <summary>A publish from the PUB socket or, when the master fans out over the request connection, from the DEALER.</summary>
    private void ReceivePublish(byte[] frame)
    {
        Interlocked.Increment(ref _loop.Counters.PublishesReceived);
        try
        {
            HandlePublish(frame, _loop.NowMs);
        }
        catch (Exception e) when (e is CryptographicException or WireFormatException)
        {
            Interlocked.Increment(ref _loop.Counters.PublishesUndecodable);
        }
    }

    private void HandlePublish(byte[] frame, long nowMs)
    {
        if (Stage != MinionStage.Ready
            || !WireCodec.TryDecodeEnvelope(frame, int.MaxValue, out var envelope, out _)
            || envelope.Kind != MessageType.JobPublish)
        {
            Interlocked.Increment(ref _loop.Counters.PublishesUndecodable);
            return;
        }
        if (!_loop.VerifyMaster(envelope))
        {
            Interlocked.Increment(ref _loop.Counters.PublishesForged);
            return;
        }
        if (_replay.Check("master-publish", envelope.Timestamp, envelope.Nonce) is not null)
        {
            Interlocked.Increment(ref _loop.Counters.PublishesReplayed);
            return;
        }
        if (_publishKey is not { } publishKey || publishKey.Generation != envelope.KeyGeneration)
        {
            // The master rotated the publish key: fetch it; the master re-sends the unacknowledged job.
            Interlocked.Increment(ref _loop.Counters.PublishesStaleKey);
            SendSealed(MessageType.SessionKeyRequest, [], nowMs);
            return;
        }
        var job = WireCodec.Deserialize<JobPublish>(EnvelopeSealer.Open(envelope, publishKey.Key));
        if (!Targets(job))
        {
            Interlocked.Increment(ref _loop.Counters.NotTargeted);
            return;
        }
        if (!_seenJobs.Add(job.Jid))
        {
            // A re-send: the master has seen neither our return nor an ack, so acknowledge at once. A first publish needs no
            // ack here, since test.ping returns well within the real minion's ack delay and the return counts as the ack.
            SendSealed(MessageType.JobAck, WireCodec.Serialize(new JobAck { Jid = job.Jid }), nowMs);
            Interlocked.Increment(ref _loop.Counters.JobAcksSent);
            Interlocked.Increment(ref _loop.Counters.DuplicateJobs);
            return;
        }
        var started = UnixNow();
        var ret = new JobReturn
        {
            Jid = job.Jid,
            Function = job.Function,
            // The swarm implements test.ping only; anything else returns an error the way an unknown function would.
            Return = job.Function == "test.ping" ? true : $"'{job.Function}' is not available.",
            Retcode = job.Function == "test.ping" ? 0 : 254,
            Success = job.Function == "test.ping",
            StartedAt = started,
            DurationMs = 0.01,
        };
        SendReturn(ret, nowMs);
    }

    private bool Targets(JobPublish job)
    {
        try
        {
            return TargetMatcher.Matches(job.Target, TargetTypeExtensions.ParseTargetType(job.TargetType), _facts, job.Nodegroups);
        }
        catch (TargetException)
        {
            return false;
        }
    }

    private void SendReturn(JobReturn ret, long nowMs)
    {
        _outbox[ret.Jid] = ret;
        Interlocked.Increment(ref _loop.Counters.ReturnsSent);
        Attempt(ret, flush: false, nowMs);
    }

    /// <summary>Sends the oldest outbox return not already awaiting an ack; ends the flush when there is none.</summary>
    private void FlushNext(long nowMs)
    {
        var inFlight = _attempts.Values.Select(a => a.Return.Jid).ToHashSet(StringComparer.Ordinal);
        var next = _outbox.Values.FirstOrDefault(r => !inFlight.Contains(r.Jid));
        if (next is null || Stage != MinionStage.Ready)
        {
            _flushing = false;
            return;
        }
        Interlocked.Increment(ref _loop.Counters.ReturnsResent);
        Attempt(next, flush: true, nowMs);
    }

    private void Attempt(JobReturn ret, bool flush, long nowMs)
    {
        var nonce = SendSealed(MessageType.JobReturn, WireCodec.Serialize(ret), nowMs);
        if (nonce is not null)
        {
            _attempts[Convert.ToHexString(nonce)] = new PendingAttempt(ret, nowMs, flush);
        }
        else if (flush)
        {
            _flushing = false;
        }
    }

    private void ExpireAttempts(long nowMs)
    {
        if (_attempts.Count == 0)
        {
            return;
        }
        foreach (var (nonce, attempt) in _attempts.ToList())
        {
            if (nowMs - attempt.SentMs > _loop.Settings.AuthTimeout.TotalMilliseconds)
            {
                _attempts.Remove(nonce);
                if (attempt.Flush)
                {
                    _flushing = false;
                }
            }
        }
    }

    private byte[]? SendSealed(MessageType kind, byte[] body, long nowMs)
    {
        if (_minionKey is not { } key)
        {
            return null;
        }
        var envelope = EnvelopeSealer.Seal(kind, Id, key, body, UnixNow());
        Send(envelope);
        return envelope.Nonce;
    }

    private void Send(Envelope envelope)
    {
        if (_dealer is null || !_dealer.TrySendFrame(TimeSpan.Zero, WireCodec.Serialize(envelope)))
        {
            Interlocked.Increment(ref _loop.Counters.SendsRefused);
        }
    }

    private static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void Dispose()
    {
        _dealer?.Dispose();
        _subscriber?.Dispose();
        _key.Dispose();
    }

    private sealed record PendingAttempt(JobReturn Return, long SentMs, bool Flush);
}
