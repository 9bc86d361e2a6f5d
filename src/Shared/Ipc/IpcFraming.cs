using System.Buffers.Binary;
using MessagePack;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Ipc;

/// <summary>Length-prefixed MessagePack frames of data trees on the CLI's local socket.</summary>
public static class IpcFraming
{
    /// <summary>Largest accepted IPC frame.</summary>
    public const int MaxFrameSize = 64 * 1024 * 1024;

    /// <summary>Writes one message.</summary>
    public static async Task WriteAsync(Stream stream, Dictionary<string, object?> message, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encode(message), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One message as its frame on the wire (length prefix and payload), for a sender that encodes a message once and writes
    /// it to many streams, or several frames in one write.
    /// </summary>
    public static byte[] Encode(Dictionary<string, object?> message)
    {
        var payload = MessagePackSerializer.Serialize<object>(message, WireCodec.Options);
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Reads one message; null at end of stream.</summary>
    public static async Task<Dictionary<string, object?>?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await ReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxFrameSize)
        {
            throw new WireFormatException($"IPC frame of {length} bytes refused");
        }
        var payload = new byte[length];
        if (!await ReadExactlyAsync(stream, payload, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return DataTree.Normalize(WireCodec.Deserialize<object>(payload)) as Dictionary<string, object?>
            ?? throw new WireFormatException("IPC frame is not a mapping");
    }

    private static async Task<bool> ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
