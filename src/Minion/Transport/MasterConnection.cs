using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;
using Orchestrator.Minion.Hosting;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Minion.Transport;

/// <summary>
/// The minion's link to its master: a DEALER for requests and a SUB for publishes, owned by one poller thread and recreated on
/// reconnect. Authenticates by challenge–response, keeps the per-minion and publish keys, verifies and opens publishes, and
/// reconnects with exponential backoff and jitter when the master goes away.
/// </summary>
public sealed partial class MasterConnection : IDisposable
{
    private readonly MinionOptions _options;
    private readonly RsaKeyPair _identity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MasterKeyPin _pin;
    private readonly ReplayGuard _replay;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Envelope>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<byte[]> _publishes = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly SemaphoreSlim _sessionKeyLock = new(1, 1);
    private readonly SessionCheck _sessionCheck;
    private Sockets? _sockets;
    private RSA? _masterKey;
    private string _masterFingerprint = "";
    private byte[]? _minionKey;
    private (int Generation, byte[] Key)? _publishKey;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MasterConnection(MinionOptions options, RsaKeyPair identity, TimeProvider time, ILogger<MasterConnection> logger)
    {
        _options = options;
        _identity = identity;
        _time = time;
        _sessionCheck = new SessionCheck(time);
        _logger = logger;
        _pin = new MasterKeyPin(options.PkiDir, options.MasterFinger);
        _replay = new ReplayGuard(options.ReplayWindow, time);
    }

    /// <summary>Called after every successful authentication (first start and each reconnect).</summary>
    public Func<CancellationToken, Task>? OnAuthenticated { get; set; }

    /// <summary>Receives every verified, opened job publish.</summary>
    public Func<JobPublish, CancellationToken, Task>? OnJob { get; set; }

    public bool IsAuthenticated => _minionKey is not null;

    /// <summary>Set by <c>orch call</c>: authenticate beside the minion daemon's session instead of replacing it.</summary>
    public bool ForCall { get; init; }

    /// <summary>Test hook: a publish frame for which this returns false is dropped on arrival, as a full PUB socket would.</summary>
    internal Func<byte[], bool>? PublishFilter { get; set; }

    /// <summary>
    /// Counts of dropped frames by reason: publishes (forged signature, replay, malformed, undecryptable) and requests
    /// refused at the send high-water mark.
    /// </summary>
    public ConcurrentDictionary<string, long> Dropped { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes when the minion is authenticated (again) and <see cref="OnAuthenticated"/> has run.</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => Volatile.Read(ref _connected).Task.WaitAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var publishConsumer = Task.Run(() => ConsumePublishesAsync(cancellationToken), cancellationToken);
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                Connect();
                await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
                attempt = 0;
                if (OnAuthenticated is { } onAuthenticated)
                {
                    await onAuthenticated(cancellationToken).ConfigureAwait(false);
                }
                // Connected means ready: authenticated and announced (grains), so a caller's next request sees it all.
                Volatile.Read(ref _connected).TrySetResult();
                reason = await HeartbeatUntilLostAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ReauthRequiredException)
            {
                reason = "session unknown to the master";
            }
            catch (MasterUnreachableException e)
            {
                reason = e.Message;
            }
            catch (MasterKeyRefusedException e)
            {
                MinionLog.MasterKeyRefused(_logger, e.Message);
                reason = "master key refused";
            }
            catch (Exception e)
            {
                MinionLog.LoopFailed(_logger, e);
                reason = e.GetType().Name;
            }
            _minionKey = null;
            if (Volatile.Read(ref _connected).Task.IsCompleted)
            {
                Volatile.Write(ref _connected, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            var delay = Backoff(attempt++);
            MinionLog.Reconnecting(_logger, reason, (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        DisposeSockets();
        _publishes.Writer.TryComplete();
        await publishConsumer.ConfigureAwait(false);
    }

    /// <summary>Exponential backoff from recon_default to recon_max, with up to 50% random jitter so minions do not stampede.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var baseMs = _options.ReconnectDefault.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var capped = Math.Min(baseMs, _options.ReconnectMax.TotalMilliseconds);
        var jitter = _options.ReconnectRandomize ? Random.Shared.NextDouble() * capped * 0.5 : 0;
        return TimeSpan.FromMilliseconds(capped + jitter);
    }

    private async Task<string> HeartbeatUntilLostAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            await _sessionCheck.WaitAsync(_options.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
            try
            {
                await RequestAsync(MessageType.Heartbeat, WireCodec.Serialize(new Heartbeat()), _options.AuthTimeout, cancellationToken)
                    .ConfigureAwait(false);
                failures = 0;
            }
            catch (MasterUnreachableException) when (++failures < 2)
            {
                // One missed heartbeat may be a busy master; two in a row mean it is gone.
            }
        }
    }

    private void Connect()
    {
        DisposeSockets();
        MinionLog.Connecting(_logger, _options.Master, _options.MasterPort, _options.PublishPort);
        var dealer = new DealerSocket();
        dealer.Options.Linger = TimeSpan.Zero;
        dealer.Options.SendHighWatermark = 10_000;
        dealer.Options.MaxMsgSize = (long)_options.MaxMessageSize * 2;
        var subscriber = new SubscriberSocket();
        subscriber.Options.Linger = TimeSpan.Zero;
        subscriber.Options.ReceiveHighWatermark = 100_000;
        subscriber.Options.MaxMsgSize = (long)_options.MaxMessageSize * 2;
        subscriber.Subscribe("all/");
        subscriber.Subscribe($"m/{_options.Id}/");
        var outbound = new NetMQQueue<byte[]>();
        dealer.ReceiveReady += OnDealerReady;
        subscriber.ReceiveReady += OnSubscriberReady;
        outbound.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var frame, TimeSpan.Zero))
            {
                // Refused at the send high-water mark, e.g. while a flooded master has stopped reading: the request times
                // out and its owner decides (a return stays in the outbox, an ack is asked for again by a re-send).
                if (!dealer.TrySendFrame(TimeSpan.Zero, frame))
                {
                    Count("send-refused");
                }
            }
        };
        dealer.Connect($"tcp://{_options.Master}:{_options.MasterPort}");
        subscriber.Connect($"tcp://{_options.Master}:{_options.PublishPort}");
        var poller = new NetMQPoller { dealer, subscriber, outbound };
        poller.RunAsync($"orch-minion-{_options.Id}");
        _sockets = new Sockets(dealer, subscriber, outbound, poller);
    }

    private void DisposeSockets()
    {
        var sockets = Interlocked.Exchange(ref _sockets, null);
        if (sockets is null)
        {
            return;
        }
        sockets.Poller.Stop();
        sockets.Poller.Dispose();
        sockets.Dealer.Dispose();
        sockets.Subscriber.Dispose();
        sockets.Outbound.Dispose();
    }

    private void OnDealerReady(object? sender, NetMQSocketEventArgs e)
    {
        while (e.Socket.TryReceiveFrameBytes(TimeSpan.Zero, out var frame))
        {
            if (!WireCodec.TryDecodeEnvelope(frame, _options.MaxMessageSize, out var envelope, out _))
            {
                Count("malformed-reply");
                continue;
            }
            if (envelope.Kind == MessageType.JobPublish && envelope.ReplyTo is null)
            {
                // A large master fans publishes out over the request connection (publish_fanout): the same signed, sealed
                // envelope as on the PUB socket, checked by the same code.
                QueuePublish(frame);
                continue;
            }
            if (envelope.ReplyTo is null)
            {
                Count("malformed-reply");
                continue;
            }
            // Only a reply to a request we have outstanding is looked at; anything else is dropped.
            if (_pending.TryRemove(Convert.ToHexString(envelope.ReplyTo), out var waiter))
            {
                waiter.TrySetResult(envelope);
            }
        }
    }

    private void OnSubscriberReady(object? sender, NetMQSocketEventArgs e)
    {
        var message = new NetMQMessage();
        while (e.Socket.TryReceiveMultipartMessage(TimeSpan.Zero, ref message))
        {
            if (message.FrameCount == 2)
            {
                QueuePublish(message[1].ToByteArray());
            }
        }
    }

    private void QueuePublish(byte[] frame)
    {
        if (PublishFilter is null || PublishFilter(frame))
        {
            _publishes.Writer.TryWrite(frame);
        }
    }

    private async Task AuthenticateAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var challengeEnvelope = await SendClearAsync(MessageType.AuthHello, WireCodec.Serialize(new AuthHello
            {
                MinionId = _options.Id,
                PublicKeyPem = _identity.PublicPem,
            }), cancellationToken).ConfigureAwait(false);
            if (challengeEnvelope.Kind != MessageType.AuthChallenge)
            {
                throw new MasterUnreachableException($"unexpected {challengeEnvelope.Kind} during auth");
            }
            var challenge = WireCodec.Deserialize<AuthChallenge>(challengeEnvelope.Body);
            TrustMaster(challenge.MasterPublicKeyPem, challengeEnvelope);
            if (challenge.Status != "accepted")
            {
                MinionLog.NotAccepted(_logger, challenge.Status, _options.AcceptanceWaitTime.TotalSeconds);
                await Task.Delay(_options.AcceptanceWaitTime, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var resultEnvelope = await SendClearAsync(MessageType.AuthProof, WireCodec.Serialize(new AuthProof
            {
                MinionId = _options.Id,
                Challenge = challenge.Challenge,
                Signature = AuthTranscript.Sign(_identity.Rsa, challenge.Challenge, _options.Id, _masterFingerprint),
                ForCall = ForCall,
            }), cancellationToken).ConfigureAwait(false);
            if (resultEnvelope.Kind != MessageType.AuthResult || !EnvelopeSigner.Verify(resultEnvelope, _masterKey!))
            {
                throw new MasterUnreachableException("auth result missing or not signed by the pinned master key");
            }
            var result = WireCodec.Deserialize<AuthResult>(resultEnvelope.Body);
            if (result.Status != "accepted" || !result.Challenge.AsSpan().SequenceEqual(challenge.Challenge))
            {
                throw new MasterUnreachableException($"authentication {result.Status}: {result.Message}");
            }
            var (minionKey, publishKey) = AuthResultKeys.Open(result, _identity.Rsa);
            _minionKey = minionKey;
            _publishKey = (result.SessionKeyGeneration, publishKey);
            MinionLog.Authenticated(_logger, _masterFingerprint, _options.Id);
            return;
        }
    }

    private void TrustMaster(string masterPem, Envelope signedEnvelope)
    {
        if (_pin.Check(masterPem, out var pinnedNow) is { } refusal)
        {
            throw new MasterKeyRefusedException(refusal);
        }
        if (pinnedNow)
        {
            MinionLog.MasterPinned(_logger, KeyFingerprint.Of(masterPem));
        }
        RSA key;
        try
        {
            key = RsaKeyPair.ImportPublic(masterPem);
        }
        catch (CryptographicException e)
        {
            throw new MasterKeyRefusedException(e.Message);
        }
        if (!EnvelopeSigner.Verify(signedEnvelope, key))
        {
            key.Dispose();
            throw new MasterKeyRefusedException("auth reply not signed by the master's key");
        }
        _masterKey = key;
        _masterFingerprint = KeyFingerprint.Of(masterPem);
    }

    private async Task<Envelope> SendClearAsync(MessageType kind, byte[] body, CancellationToken cancellationToken)
    {
        var envelope = EnvelopeSealer.Clear(kind, _options.Id, body, Now());
        var reply = await ExchangeAsync(envelope, _options.AuthTimeout, cancellationToken).ConfigureAwait(false);
        if (_replay.Check("master", reply.Timestamp, reply.Nonce) is { } error)
        {
            throw new MasterUnreachableException($"auth reply refused: {error}");
        }
        return reply;
    }

    /// <summary>
    /// Sends a sealed request and returns the opened reply. Throws <see cref="ReauthRequiredException"/> when the master no longer
    /// knows this session and <see cref="MasterUnreachableException"/> on timeout.
    /// </summary>
    public async Task<(MessageType Kind, byte[] Body)> RequestAsync(
        MessageType kind, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = _minionKey ?? throw new MasterUnreachableException("not authenticated");
        var envelope = EnvelopeSealer.Seal(kind, _options.Id, key, body, Now());
        var reply = await ExchangeAsync(envelope, timeout, cancellationToken).ConfigureAwait(false);
        if (reply.Kind == MessageType.AuthRequired)
        {
            throw new ReauthRequiredException();
        }
        if (reply.Kind == MessageType.PillarResponse && (_masterKey is null || !EnvelopeSigner.Verify(reply, _masterKey)))
        {
            Count("unsigned-pillar");
            throw new MasterUnreachableException("pillar reply not signed by the pinned master key");
        }
        byte[] plaintext;
        try
        {
            plaintext = EnvelopeSealer.Open(reply, key);
        }
        catch (CryptographicException)
        {
            Count("forged-reply");
            throw new MasterUnreachableException("reply not sealed with this minion's key");
        }
        if (_replay.Check("master", reply.Timestamp, reply.Nonce) is { } error)
        {
            Count("replayed-reply");
            throw new MasterUnreachableException($"reply refused: {error}");
        }
        return (reply.Kind, plaintext);
    }

    /// <summary>Sends a sealed message that expects no reply (job acks); dropped silently when not connected.</summary>
    public void Send(MessageType kind, byte[] body)
    {
        if (_minionKey is { } key && _sockets is { } sockets)
        {
            sockets.Outbound.Enqueue(WireCodec.Serialize(EnvelopeSealer.Seal(kind, _options.Id, key, body, Now())));
        }
    }

    private async Task<Envelope> ExchangeAsync(Envelope envelope, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sockets = _sockets ?? throw new MasterUnreachableException("not connected");
        var id = Convert.ToHexString(envelope.Nonce);
        var waiter = new TaskCompletionSource<Envelope>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        try
        {
            sockets.Outbound.Enqueue(WireCodec.Serialize(envelope));
            return await waiter.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new MasterUnreachableException($"no reply to {envelope.Kind} within {timeout.TotalSeconds}s");
        }
        catch (ObjectDisposedException)
        {
            throw new MasterUnreachableException("connection closed");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private void Count(string reason) => Dropped.AddOrUpdate(reason, 1, (_, n) => n + 1);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose()
    {
        DisposeSockets();
        _masterKey?.Dispose();
        _sessionKeyLock.Dispose();
    }

    private sealed record Sockets(DealerSocket Dealer, SubscriberSocket Subscriber, NetMQQueue<byte[]> Outbound, NetMQPoller Poller);
}
