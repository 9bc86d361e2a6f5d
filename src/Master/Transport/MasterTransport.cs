using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Master.Transport;

/// <summary>
/// Owns the PUB and ROUTER sockets on one poller thread (NetMQ sockets are not thread-safe). Other threads hand frames to it
/// through a queue; received frames go out through a bounded channel to the request workers.
/// </summary>
public sealed class MasterTransport : IDisposable
{
    private const int ListenBacklog = 4096;

    private readonly MasterOptions _options;
    private readonly ILogger _logger;
    private readonly MasterMetrics _metrics;
    private readonly Channel<InboundFrame> _inbound = Channel.CreateBounded<InboundFrame>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly NetMQQueue<(bool Publish, byte[] Address, byte[] Payload)> _outbound = new();
    private PublisherSocket? _publisher;
    private RouterSocket? _router;
    private NetMQPoller? _poller;
    private int _disposed;

    public MasterTransport(MasterOptions options, ILogger<MasterTransport> logger, MasterMetrics metrics)
    {
        _options = options;
        _logger = logger;
        _metrics = metrics;
    }

    public ChannelReader<InboundFrame> Inbound => _inbound.Reader;

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
        PublishPort = Bind(_publisher, _options.PublishPort);
        RetPort = Bind(_router, _options.RetPort);
        _router.ReceiveReady += OnRouterReady;
        _outbound.ReceiveReady += OnOutboundReady;
        _poller = new NetMQPoller { _router, _outbound };
        _poller.RunAsync("orch-master-transport");
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
    public void Reply(byte[] routingId, Envelope envelope) => _outbound.Enqueue((false, routingId, WireCodec.Serialize(envelope)));

    /// <summary>Publishes a frame under a topic (<c>all/</c>, or <c>m/&lt;id&gt;/</c> for one minion).</summary>
    public void Publish(string topic, byte[] payload) =>
        _outbound.Enqueue((true, System.Text.Encoding.UTF8.GetBytes(topic), payload));

    private void OnOutboundReady(object? sender, NetMQQueueEventArgs<(bool Publish, byte[] Address, byte[] Payload)> e)
    {
        while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
        {
            if (item.Publish)
            {
                _publisher!.SendMoreFrame(item.Address).SendFrame(item.Payload);
            }
            else if (!_router!.TrySendFrame(TimeSpan.Zero, item.Address, more: true) || !_router!.TrySendFrame(TimeSpan.Zero, item.Payload))
            {
                MasterLog.ReplyDropped(_logger);
            }
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
            var payload = message[1].ToByteArray();
            if (payload.Length > _options.MaxMessageSize)
            {
                _metrics.CountOversized();
                MasterLog.FrameOversized(_logger, payload.Length, _options.MaxMessageSize);
                continue;
            }
            if (!_inbound.Writer.TryWrite(new InboundFrame(message[0].ToByteArray(), payload)))
            {
                MasterLog.InboundFull(_logger);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _poller?.Stop();
        _poller?.Dispose();
        _publisher?.Dispose();
        _router?.Dispose();
        _outbound.Dispose();
        _inbound.Writer.TryComplete();
    }
}
