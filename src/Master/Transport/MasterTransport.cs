using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;
using Orchestrator.Master.Auth;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Master.Transport;

/// <summary>
/// Owns the PUB and ROUTER sockets, each on its own poller thread (NetMQ sockets are not thread-safe). Other threads hand
/// frames to them through queues; received frames go out through a bounded channel to the request workers.
/// <list type="bullet">
/// <item>The PUB socket has a thread of its own because a broadcast costs NetMQ time quadratic in the number of
/// subscribers (its distributor looks each matching pipe up with a list search: ~9 ms per publish at 1,000 minions, ~90 ms
/// at 4,000), and that must not stall the request path.</item>
/// <item>When the inbound channel is full, the poller stops reading the ROUTER until the workers catch up, so a flood waits
/// in the socket buffers (and, once those fill, in TCP and the minions' send queues) instead of being dropped: every
/// dropped ack or return would come back as a re-send and make the flood worse.</item>
/// </list>
/// </summary>
public sealed class MasterTransport : IDisposable
{
    private const int ListenBacklog = 4096;
    private const int FanoutBatch = 500;

    private readonly MasterOptions _options;
    private readonly ILogger _logger;
    private readonly MasterMetrics _metrics;
    private readonly SessionTable _sessions;
    private readonly LogThrottle _logThrottle;
    private readonly Channel<InboundFrame> _inbound;
    private readonly int _inboundCapacity;
    private readonly NetMQQueue<(byte[] Address, byte[] Payload)> _replies = new();
    private readonly NetMQQueue<(byte[] Address, byte[] Payload)> _fanout = new();
    private readonly NetMQQueue<(byte[] Topic, byte[] Payload)> _publishes = new();
    private PublisherSocket? _publisher;
    private RouterSocket? _router;
    private NetMQPoller? _poller;
    private NetMQPoller? _publishPoller;
    private NetMQTimer? _resumeTimer;
    private InboundFrame? _stalled;
    private volatile bool _paused;
    private int _disposed;

    /// <summary>Largest frame accepted from a connection without a session: an AuthHello (id and a PEM key) with room to spare.</summary>
    public const int MaxHandshakeFrame = 64 * 1024;

    public MasterTransport(MasterOptions options, SessionTable sessions, ILogger<MasterTransport> logger, MasterMetrics metrics)
    {
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _sessions = sessions;
        _logThrottle = new LogThrottle(TimeProvider.System, TimeSpan.FromSeconds(10));
        _inboundCapacity = options.InboundQueue;
        _inbound = Channel.CreateBounded<InboundFrame>(new BoundedChannelOptions(_inboundCapacity) { FullMode = BoundedChannelFullMode.Wait });
    }

    public ChannelReader<InboundFrame> Inbound => _inbound.Reader;

    /// <summary>
    /// Whether requests are waiting for the workers: reading is paused, or the queue is over half full. An ack the master is
    /// waiting for may be among them, so re-sending now would only add to the pile.
    /// </summary>
    public bool Congested => _paused || _inbound.Reader.Count > _inboundCapacity / 2;

    /// <summary>Largest subscription frame the publish port accepts: a minion's own topic with room to spare.</summary>
    public const int MaxSubscriptionSize = 1024;

    public int PublishPort { get; private set; }

    public int RetPort { get; private set; }

    public void Start()
    {
        _publisher = new PublisherSocket();
        _publisher.Options.SendHighWatermark = _options.PublishHighWatermark;
        _publisher.Options.Linger = TimeSpan.Zero;
        _router = new RouterSocket();
        _router.Options.ReceiveHighWatermark = 100_000;
        _router.Options.SendHighWatermark = 100_000;
        _router.Options.Linger = TimeSpan.Zero;
        // NetMQ listens with a backlog of 100: when hundreds of minions (re)connect at once, e.g. after a master restart, the
        // accept queue overflows and connections stall in SYN retries (zeromq/netmq#832). The kernel caps it at somaxconn.
        _router.Options.Backlog = ListenBacklog;
        _publisher.Options.Backlog = ListenBacklog;
        // The socket-level cap only protects memory; frames between the configured limit and this are counted as oversized.
        _router.Options.MaxMsgSize = (long)_options.MaxMessageSize * 2;
        // The publish port only ever receives subscriptions ("all/", "m/<id>/", ids at most 255 characters). NetMQ adds each
        // one to a trie recursively, one frame per byte: a single 100 KB subscription overflows the stack and aborts the
        // process. Inbound frames above this are refused by the decoder and the peer is disconnected before that.
        _publisher.Options.MaxMsgSize = MaxSubscriptionSize;
        PublishPort = Bind(_publisher, _options.PublishPort);
        RetPort = Bind(_router, _options.RetPort);
        _router.ReceiveReady += OnRouterReady;
        _replies.ReceiveReady += OnRepliesReady;
        _fanout.ReceiveReady += OnFanoutReady;
        _publishes.ReceiveReady += OnPublishesReady;
        _resumeTimer = new NetMQTimer(TimeSpan.FromMilliseconds(2)) { Enable = false };
        _resumeTimer.Elapsed += OnResumeTimer;
        _poller = new NetMQPoller { _router, _replies, _fanout, _resumeTimer };
        _poller.RunAsync("orch-master-requests");
        _publishPoller = new NetMQPoller { _publishes };
        _publishPoller.RunAsync("orch-master-publish");
        MasterLog.Listening(_logger, _options.Interface, PublishPort, RetPort);
    }

    private int Bind(NetMQSocket socket, int port)
    {
        var host = _options.Interface;
        if (port == 0)
        {
            return socket.BindRandomPort($"tcp://{host}");
        }
        socket.Bind($"tcp://{host}:{port}");
        return port;
    }

    /// <summary>Sends an envelope to one minion over the request socket.</summary>
    public void Reply(byte[] routingId, Envelope envelope) => _replies.Enqueue((routingId, WireCodec.Serialize(envelope)));

    /// <summary>
    /// Queues a publish for one minion on the request socket (publish_fanout: router). Fan-out frames go out in batches
    /// between the socket's other work, so a broadcast to thousands of minions does not hold up replies (return acks)
    /// queued behind it.
    /// </summary>
    public void FanOut(byte[] routingId, byte[] frame) => _fanout.Enqueue((routingId, frame));

    /// <summary>Publishes a frame under a topic (<c>all/</c>, or <c>m/&lt;id&gt;/</c> for one minion).</summary>
    public void Publish(string topic, byte[] payload) => _publishes.Enqueue((System.Text.Encoding.UTF8.GetBytes(topic), payload));

    private void OnPublishesReady(object? sender, NetMQQueueEventArgs<(byte[] Topic, byte[] Payload)> e)
    {
        while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
        {
            _publisher!.SendMoreFrame(item.Topic).SendFrame(item.Payload);
        }
    }

    private void OnRepliesReady(object? sender, NetMQQueueEventArgs<(byte[] Address, byte[] Payload)> e)
    {
        while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
        {
            SendToPeer(item.Address, item.Payload);
        }
    }

    private void OnFanoutReady(object? sender, NetMQQueueEventArgs<(byte[] Address, byte[] Payload)> e)
    {
        // One batch per poll: whatever is left makes the queue ready again, after reads and replies have had their turn.
        for (var sent = 0; sent < FanoutBatch && e.Queue.TryDequeue(out var item, TimeSpan.Zero); sent++)
        {
            SendToPeer(item.Address, item.Payload);
        }
    }

    private void SendToPeer(byte[] routingId, byte[] payload)
    {
        if (!_router!.TrySendFrame(TimeSpan.Zero, routingId, more: true) || !_router!.TrySendFrame(TimeSpan.Zero, payload))
        {
            MasterLog.ReplyDropped(_logger);
        }
    }

    private void OnRouterReady(object? sender, NetMQSocketEventArgs e)
    {
        var message = new NetMQMessage();
        var received = 0;
        while (received++ < 1000 && e.Socket.TryReceiveMultipartMessage(TimeSpan.Zero, ref message))
        {
            // A DEALER sends exactly one payload frame; anything else is not ours.
            if (message.FrameCount != 2)
            {
                _metrics.CountMalformed();
                continue;
            }
            var size = message[1].MessageSize;
            var routingId = message[0].ToByteArray();
            // A stranger's frame can only be a handshake, a few hundred bytes: anything bigger from a connection without a
            // session is dropped here, before it is copied or queued, so junk cannot fill the queue and the heap.
            var limit = size > MaxHandshakeFrame && !_sessions.IsRoute(routingId) ? MaxHandshakeFrame : _options.MaxMessageSize;
            if (size > limit)
            {
                _metrics.CountOversized();
                if (_logThrottle.ShouldLog("oversized", out var hidden))
                {
                    MasterLog.FrameOversized(_logger, size, limit, hidden);
                }
                continue;
            }
            var frame = new InboundFrame(routingId, message[1].ToByteArray());
            if (!_inbound.Writer.TryWrite(frame))
            {
                Pause(frame);
                return;
            }
        }
    }

    /// <summary>
    /// Stops reading the ROUTER: with no receive handler the poller no longer polls it for input, so frames stay queued in
    /// the socket. The frame already taken out is kept and goes first when reading resumes.
    /// </summary>
    private void Pause(InboundFrame frame)
    {
        _stalled = frame;
        _paused = true;
        _router!.ReceiveReady -= OnRouterReady;
        _resumeTimer!.Enable = true;
        _metrics.CountInboundPaused();
        MasterLog.InboundPaused(_logger, _inboundCapacity);
    }

    private void OnResumeTimer(object? sender, NetMQTimerEventArgs e)
    {
        // Resume once the workers have made room for a good share of the queue, not at the first free slot, so a sustained
        // flood does not turn into a pause/resume cycle every frame.
        if (_inbound.Reader.Count > _inboundCapacity * 3 / 4 || !_inbound.Writer.TryWrite(_stalled!))
        {
            return;
        }
        _stalled = null;
        _resumeTimer!.Enable = false;
        _paused = false;
        _router!.ReceiveReady += OnRouterReady;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _poller?.Stop();
        _poller?.Dispose();
        _publishPoller?.Stop();
        _publishPoller?.Dispose();
        _publisher?.Dispose();
        _router?.Dispose();
        _replies.Dispose();
        _fanout.Dispose();
        _publishes.Dispose();
        _inbound.Writer.TryComplete();
    }
}
