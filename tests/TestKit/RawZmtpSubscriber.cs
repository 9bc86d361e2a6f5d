using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Testing;

/// <summary>
/// A SUB peer that speaks ZMTP 3.0 (NULL mechanism) by hand over TCP, so a test can send subscriptions no well-behaved
/// library would, and see whether the other side hangs up.
/// </summary>
public sealed class RawZmtpSubscriber : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawZmtpSubscriber(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawZmtpSubscriber> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var peer = new RawZmtpSubscriber(client);
        await peer.HandshakeAsync();
        return peer;
    }

    private async Task HandshakeAsync()
    {
        var greeting = new byte[64];
        greeting[0] = 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        Encoding.ASCII.GetBytes("NULL").CopyTo(greeting, 12);
        await _stream.WriteAsync(greeting);
        await _stream.ReadExactlyAsync(new byte[64]);
        var body = new List<byte> { 5 };
        body.AddRange(Encoding.ASCII.GetBytes("READY"));
        body.Add(11);
        body.AddRange(Encoding.ASCII.GetBytes("Socket-Type"));
        body.AddRange([0, 0, 0, 3]);
        body.AddRange(Encoding.ASCII.GetBytes("SUB"));
        await _stream.WriteAsync(new byte[] { 0x04, (byte)body.Count });
        await _stream.WriteAsync(body.ToArray());
        // The other side's READY: flags, size, body.
        var header = new byte[2];
        await _stream.ReadExactlyAsync(header);
        await _stream.ReadExactlyAsync(new byte[header[1]]);
    }

    /// <summary>Sends one subscription message (0x01 then the topic) as a long frame.</summary>
    public async Task SubscribeAsync(byte[] topic)
    {
        var frame = new byte[9 + 1 + topic.Length];
        frame[0] = 0x02;
        BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(1), (ulong)(topic.Length + 1));
        frame[9] = 0x01;
        topic.CopyTo(frame, 10);
        try
        {
            await _stream.WriteAsync(frame);
        }
        catch (IOException)
        {
            // Hung up on mid-frame: what the caller checks for.
        }
    }

    /// <summary>Whether the other side closes the connection within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsClosedByPeerAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, cancel.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
