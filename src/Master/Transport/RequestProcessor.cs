using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Auth;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Pillar;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Transport;

/// <summary>
/// Handles every frame from the request socket. The clear channel dispatches only the auth handshake (an allow-list);
/// everything else must be sealed with the sender's per-minion key, which binds the request to the minion that sent it.
/// </summary>
public sealed partial class RequestProcessor
{
    private static readonly HashSet<MessageType> ClearKinds = [MessageType.AuthHello, MessageType.AuthProof];

    private static readonly HashSet<MessageType> SealedKinds =
    [
        MessageType.JobAck, MessageType.JobReturn, MessageType.Heartbeat, MessageType.MinionStart, MessageType.MinionStop, MessageType.EventFire,
        MessageType.SessionKeyRequest, MessageType.FileRequest, MessageType.FileListRequest, MessageType.PillarRequest,
        MessageType.FileRecv, MessageType.RunnerDocRequest,
        .. Mine.MineHandler.Kinds,
    ];

    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(30);

    private readonly MasterTransport _transport;
    private readonly MasterOptions _options;
    private readonly RsaKeyPair _masterKey;
    private readonly KeyStore _keys;
    private readonly SessionKeyring _keyring;
    private readonly JobDispatcher _jobs;
    private readonly IJobCache _cache;
    private readonly MinionDirectory _minions;
    private readonly ReturnWriter _returns;
    private readonly EventBus _events;
    private readonly MasterMetrics _metrics;
    private readonly FileServer.FileServer _files;
    private readonly FileServer.FileReceiver _received;
    private readonly PillarCompiler _pillar;
    private readonly Runners.RunnerDocHandler _runnerDocs;
    private readonly Mine.MineHandler _mine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ReplayGuard _replay;
    private readonly SessionTable _sessions;
    private readonly AuthThrottle _authThrottle;
    private readonly LogThrottle _logThrottle;
    private readonly ConcurrentDictionary<string, IssuedChallenge> _challenges = new(StringComparer.Ordinal);

    public RequestProcessor(
        MasterTransport transport, MasterOptions options, RsaKeyPair masterKey, KeyStore keys, SessionKeyring keyring,
        JobDispatcher jobs, IJobCache cache, MinionDirectory minions, ReturnWriter returns, EventBus events, MasterMetrics metrics, FileServer.FileServer files,
        PillarCompiler pillar, SessionTable sessions, TimeProvider time, ILogger<RequestProcessor> logger, Runners.RunnerRegistry runners,
        Mine.MineHandler mine)
    {
        _mine = mine;
        _runnerDocs = new Runners.RunnerDocHandler(runners);
        _sessions = sessions;
        _transport = transport;
        _options = options;
        _masterKey = masterKey;
        _keys = keys;
        _keyring = keyring;
        _jobs = jobs;
        _cache = cache;
        _minions = minions;
        _returns = returns;
        _events = events;
        _metrics = metrics;
        _files = files;
        _received = new FileServer.FileReceiver(options.CacheDir, options.FileRecv, options.FileRecvMaxSize, logger);
        _pillar = pillar;
        _time = time;
        _logger = logger;
        _replay = new ReplayGuard(options.ReplayWindow, time);
        _authThrottle = new AuthThrottle(time, options.AuthRateLimit, options.AuthRateLimitPerConnection);
        _logThrottle = new LogThrottle(time, TimeSpan.FromSeconds(10));
    }

    /// <summary>Minions with a live session.</summary>
    public IReadOnlyCollection<string> Connected => _sessions.Ids;

    /// <summary>Ends a minion's session and rotates the publish key, so a deleted or rejected minion reads nothing more.</summary>
    public void Revoke(string minionId, string reason)
    {
        _sessions.Remove(minionId);
        var generation = _keyring.Rotate();
        MasterLog.SessionRotated(_logger, generation, reason);
    }

    public async Task RunWorkerAsync(CancellationToken cancellationToken)
    {
        await foreach (var frame in _transport.Inbound.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Envelope? envelope = null;
            try
            {
                if (!WireCodec.TryDecodeEnvelope(frame.Payload, _options.MaxMessageSize, out envelope, out var error))
                {
                    _metrics.CountMalformed();
                    MasterLog.FrameDropped(_logger, "malformed", Peer(frame), error);
                    continue;
                }
                await HandleAsync(frame, envelope, cancellationToken).ConfigureAwait(false);
            }
            catch (WireFormatException e)
            {
                _metrics.CountMalformed();
                MasterLog.FrameDropped(_logger, "malformed", envelope?.SenderId ?? Peer(frame), e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                MasterLog.WorkerFailed(_logger, e, envelope?.Kind.ToString() ?? "frame", envelope?.SenderId ?? Peer(frame));
            }
        }
    }

    private static string Peer(InboundFrame frame) => Convert.ToHexString(frame.RoutingId);

    private async Task HandleAsync(InboundFrame frame, Envelope envelope, CancellationToken cancellationToken)
    {
        if (ClearKinds.Contains(envelope.Kind))
        {
            // Before the replay guard (whose memory grows per sender id), RSA, key files or a log line per frame.
            if (!_authThrottle.TryAcquire(Peer(frame), counted: envelope.Kind == MessageType.AuthHello))
            {
                _metrics.CountAuthThrottled();
                if (_logThrottle.ShouldLog("auth-throttled", out var hidden))
                {
                    MasterLog.AuthThrottled(_logger, Peer(frame), envelope.SenderId, hidden);
                }
                return;
            }
            if (_replay.Check(envelope.SenderId, envelope.Timestamp, envelope.Nonce) is { } replayError)
            {
                _metrics.CountReplayed();
                MasterLog.FrameDropped(_logger, "replayed", envelope.SenderId, replayError);
                return;
            }
            if (envelope.Kind == MessageType.AuthHello)
            {
                HandleHello(frame, envelope);
            }
            else
            {
                HandleProof(frame, envelope);
            }
            return;
        }
        if (!SealedKinds.Contains(envelope.Kind))
        {
            _metrics.CountRefusedKind();
            MasterLog.FrameDropped(_logger, "refused-kind", envelope.SenderId, envelope.Kind.ToString());
            return;
        }
        // The daemon's session first, then any orch call sessions of the same id; each costs one AES-GCM open at most.
        MinionSession? session = null;
        byte[] plaintext = [];
        var known = false;
        foreach (var candidate in _sessions.Candidates(envelope.SenderId))
        {
            known = true;
            try
            {
                plaintext = EnvelopeSealer.Open(envelope, candidate.Key);
                session = candidate;
                break;
            }
            catch (CryptographicException)
            {
                // Not this session's key: try the next.
            }
        }
        if (session is null)
        {
            // No session, or sealed under a key that is not this minion's: another peer claiming its id, or a stale session.
            var reason = known ? "forged" : "unauthenticated";
            if (known)
            {
                _metrics.CountForged();
            }
            else
            {
                _metrics.CountUnauthenticated();
            }
            if (_logThrottle.ShouldLog(reason, out var hidden))
            {
                MasterLog.FrameDropped(_logger, reason, envelope.SenderId, hidden == 0 ? envelope.Kind.ToString() : $"{envelope.Kind} ({hidden} more since the last line)");
            }
            ReplyClear(frame.RoutingId, MessageType.AuthRequired, [], envelope.Nonce);
            return;
        }
        if (_replay.Check(envelope.SenderId, envelope.Timestamp, envelope.Nonce) is { } error)
        {
            _metrics.CountReplayed();
            MasterLog.FrameDropped(_logger, "replayed", envelope.SenderId, error);
            return;
        }
        _sessions.Route(session, frame.RoutingId);
        _minions.Touch(session.Id, _time.GetUtcNow());
        try
        {
            await DispatchAsync(session, envelope, plaintext, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or WireFormatException))
        {
            // A request the master failed on (a full disk under the job cache, say) gets an error now, not silence that the
            // minion would wait out and take for a lost master.
            MasterLog.WorkerFailed(_logger, e, envelope.Kind.ToString(), session.Id);
            ReplySealed(session, MessageType.Error, WireCodec.Serialize(new ErrorMessage
            {
                Message = $"the master failed to handle {envelope.Kind}: {e.Message}",
            }), envelope.Nonce);
        }
    }

    private async Task DispatchAsync(MinionSession session, Envelope envelope, byte[] plaintext, CancellationToken cancellationToken)
    {
        switch (envelope.Kind)
        {
            case MessageType.Heartbeat:
                ReplySealed(session, MessageType.Ack, [], envelope.Nonce);
                break;
            case MessageType.JobAck:
                _metrics.CountAck();
                _jobs.Acknowledged(session.Id, WireCodec.Deserialize<JobAck>(plaintext).Jid);
                break;
            case MessageType.JobReturn:
                HandleReturn(session, envelope, WireCodec.Deserialize<JobReturn>(plaintext));
                break;
            case MessageType.MinionStart:
                var start = WireCodec.Deserialize<MinionStart>(plaintext);
                try
                {
                    _minions.SetGrains(session.Id, WireCodec.ToMap(start.Grains));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The grains are in memory already; only their copy in the cache is missing. The minion is still started.
                    MasterLog.WorkerFailed(_logger, e, "MinionStart (saving grains)", session.Id);
                }
                ReplySealed(session, MessageType.Ack, [], envelope.Nonce);
                if (start.GrainsOnly)
                {
                    break;
                }
                _minions.Arrive(session.Id);
                _events.Publish(EventTag.MinionStart(session.Id), new(StringComparer.Ordinal)
                {
                    ["id"] = session.Id,
                    ["cmd"] = "_minion_event",
                    ["tag"] = EventTag.MinionStart(session.Id),
                    ["pretend_async"] = false,
                    ["data"] = $"Minion {session.Id} started at {_time.GetLocalNow():ddd MMM d HH:mm:ss yyyy}",
                });
                _jobs.CatchUp(session.Id);
                break;
            case MessageType.MinionStop:
                // A clean stop: down at once (manage.down, [Not connected] in the CLI), not after presence_timeout.
                _minions.Depart(session.Id);
                ReplySealed(session, MessageType.Ack, [], envelope.Nonce);
                MasterLog.MinionStopped(_logger, session.Id);
                break;
            case MessageType.EventFire:
                HandleEvent(session, envelope, WireCodec.Deserialize<EventFire>(plaintext));
                break;
            case MessageType.SessionKeyRequest:
                var key = _keyring.Current;
                ReplySealed(session, MessageType.SessionKeyResponse, WireCodec.Serialize(new SessionKeyResponse
                {
                    Generation = key.Generation,
                    Key = key.Key,
                }), envelope.Nonce);
                break;
            case MessageType.FileRequest:
                var request = WireCodec.Deserialize<FileRequest>(plaintext);
                var (file, revision) = _files.Read(SafeEnv(request.Saltenv), request.Path, request.Revision);
                ReplySealed(session, MessageType.FileResponse, WireCodec.Serialize(file is { } found
                    ? new FileResponse { Found = true, Contents = found.Contents, Sha256 = found.Sha256, Revision = revision }
                    : new FileResponse { Found = false, Error = $"file not found or refused: salt://{request.Path}", Revision = revision }), envelope.Nonce);
                break;
            case MessageType.FileListRequest:
                var listing = WireCodec.Deserialize<FileListRequest>(plaintext);
                var (files, listed) = _files.List(SafeEnv(listing.Saltenv), listing.Revision);
                ReplySealed(session, MessageType.FileListResponse, WireCodec.Serialize(new FileListResponse
                {
                    Files = [.. files],
                    Revision = listed,
                }), envelope.Nonce);
                break;
            case MessageType.FileRecv:
                var chunk = WireCodec.Deserialize<FileRecv>(plaintext);
                var refused = _received.Receive(session.Id, chunk.Path, chunk.Loc, chunk.Data);
                if (refused is null)
                {
                    ReplySealed(session, MessageType.Ack, [], envelope.Nonce);
                }
                else
                {
                    ReplySealed(session, MessageType.Error, WireCodec.Serialize(new ErrorMessage { Message = refused }), envelope.Nonce);
                }
                break;
            case MessageType.RunnerDocRequest:
                ReplySealed(session, MessageType.RunnerDocResponse, _runnerDocs.Answer(), envelope.Nonce);
                break;
            case var mineKind when Mine.MineHandler.Kinds.Contains(mineKind):
                var (replyKind, replyBody) = _mine.Handle(session.Id, mineKind, plaintext);
                ReplySealed(session, replyKind, replyBody, envelope.Nonce);
                break;
            case MessageType.PillarRequest:
                var pillarRequest = WireCodec.Deserialize<PillarRequest>(plaintext);
                var grains = _minions.Grains(session.Id);
                var compiled = await _pillar.CompileAsync(
                    session.Id, grains, SafeEnv(pillarRequest.Saltenv), WireCodec.ToMap(pillarRequest.Override), cancellationToken)
                    .ConfigureAwait(false);
                // Pillar carries secrets and drives states: besides the seal, the master signs it, as it signs publishes.
                ReplySealed(session, MessageType.PillarResponse, WireCodec.Serialize(new PillarResponse
                {
                    Pillar = compiled.Pillar,
                    Errors = [.. compiled.Errors],
                }), envelope.Nonce, sign: true);
                break;
        }
    }

    private static string SafeEnv(string saltenv) => string.IsNullOrEmpty(saltenv) ? "base" : saltenv;

    private void HandleReturn(MinionSession session, Envelope envelope, JobReturn ret)
    {
        // A return is the best ack there is (a fast job's minion sends no separate ack): stop re-sending the job at once, not
        // only once the return is stored.
        _jobs.Acknowledged(session.Id, ret.Jid);
        _metrics.CountReturn();
        // The return is filed under the minion whose key sealed it, never under an id the body might claim.
        var record = new ReturnRecord(
            ret.Jid, session.Id, ret.Function, WireCodec.ToData(ret.Return), ret.Retcode, ret.Success,
            DateTimeOffset.FromUnixTimeMilliseconds(ret.StartedAt), ret.DurationMs, ret.OutputHint);
        if (ret.Schedule.Length > 0)
        {
            Scheduling.ScheduledReturns.Register(_cache, _jobs, session.Id, ret);
        }
        // An active job is known without the cache lookup, which parses the job's whole expected-minion list (O(N) per
        // return, O(N^2) per job); the cache is asked only for returns of jobs past their timeout or from before a restart.
        switch (_jobs.Targeted(ret.Jid, session.Id))
        {
            case null:
                _metrics.CountUnknownJob();
                MasterLog.FrameDropped(_logger, "unknown-job", session.Id, ret.Jid);
                ReplySealed(session, MessageType.ReturnAck, WireCodec.Serialize(new ReturnAck { Jid = ret.Jid }), envelope.Nonce);
                return;
            case false:
                // Only a minion the job was sent to may answer it: anything else would put words in the operator's output.
                _metrics.CountUntargeted();
                MasterLog.FrameDropped(_logger, "untargeted-return", session.Id, ret.Jid);
                ReplySealed(session, MessageType.ReturnAck, WireCodec.Serialize(new ReturnAck { Jid = ret.Jid }), envelope.Nonce);
                return;
        }
        _returns.Enqueue(record, () => Stored(session, envelope, ret, record));
    }

    private void Stored(MinionSession session, Envelope envelope, JobReturn ret, ReturnRecord record)
    {
        var first = _jobs.Returned(session.Id, ret.Jid);
        ReplySealed(session, MessageType.ReturnAck, WireCodec.Serialize(new ReturnAck { Jid = ret.Jid }), envelope.Nonce);
        MasterLog.ReturnReceived(_logger, ret.Jid, session.Id);
        if (!first)
        {
            // Stored again (the cache keeps one row per minion and jid) and acknowledged, but announced once: the CLI prints
            // each minion once and a reactor answers each return once.
            return;
        }
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["cmd"] = "_return",
            ["jid"] = ret.Jid,
            ["id"] = session.Id,
            ["fun"] = ret.Function,
            ["fun_args"] = ret.Schedule.Length > 0 ? Scheduling.ScheduledReturns.FunArgs(ret) : _jobs.FunArgsOf(ret.Jid),
            ["return"] = record.Return,
            ["retcode"] = (long)ret.Retcode,
            ["success"] = ret.Success,
            ["out"] = ret.OutputHint,
        };
        if (ret.Schedule.Length > 0)
        {
            // Salt's scheduled returns name their job, so a reactor can tell them from published ones.
            data["schedule"] = ret.Schedule;
        }
        _events.Publish(EventTag.JobReturn(ret.Jid, session.Id), data);
    }

    private void HandleEvent(MinionSession session, Envelope envelope, EventFire fire)
    {
        var tag = EventTag.ForMinionEvent(session.Id, fire.Tag);
        if (tag is null)
        {
            _metrics.CountImpersonation();
            MasterLog.EventRefused(_logger, session.Id, fire.Tag);
            ReplySealed(session, MessageType.Error, WireCodec.Serialize(new ErrorMessage
            {
                Message = $"tag '{fire.Tag}' is reserved for the master",
            }), envelope.Nonce);
            return;
        }
        var data = WireCodec.ToMap(fire.Data);
        data["id"] = session.Id;
        _events.Publish(tag, data);
        ReplySealed(session, MessageType.Ack, [], envelope.Nonce);
    }

    private void ReplySigned(byte[] routingId, MessageType kind, byte[] body, byte[] replyTo)
    {
        var envelope = EnvelopeSealer.Clear(kind, "master", body, _time.GetUtcNow().ToUnixTimeMilliseconds(), replyTo);
        EnvelopeSigner.Sign(envelope, _masterKey.Rsa);
        _transport.Reply(routingId, envelope);
    }

    private void ReplyClear(byte[] routingId, MessageType kind, byte[] body, byte[] replyTo) =>
        _transport.Reply(routingId, EnvelopeSealer.Clear(kind, "master", body, _time.GetUtcNow().ToUnixTimeMilliseconds(), replyTo));

    private void ReplySealed(MinionSession session, MessageType kind, byte[] body, byte[] replyTo, bool sign = false)
    {
        var envelope = EnvelopeSealer.Seal(kind, "master", session.Key, body, _time.GetUtcNow().ToUnixTimeMilliseconds(), replyTo: replyTo);
        if (sign)
        {
            EnvelopeSigner.Sign(envelope, _masterKey.Rsa);
        }
        _transport.Reply(session.RoutingId, envelope);
    }
}
