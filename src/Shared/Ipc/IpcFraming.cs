using System.Buffers.Binary;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Ipc;

/// <summary>Length-prefixed MessagePack frames of data trees on the CLI's local socket.</summary>
public static class IpcFraming
{
    /// <summary>Largest accepted IPC frame.</summary>
    public const int MaxFrameSize = 64 * 1024 * 1024;

    private const int InitialPayloadBuffer = 64 * 1024;

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
        var payload = DataTreePack.Serialize(message);
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
        var payload = await ReadPayloadAsync(stream, length, cancellationToken).ConfigureAwait(false);
        if (payload is null)
        {
            return null;
        }
        return DataTreePack.Deserialize(payload) as Dictionary<string, object?>
            ?? throw new WireFormatException("IPC frame is not a mapping");
    }

    // The buffer grows with the bytes that actually arrive: a 4-byte prefix claiming 64 MiB must not reserve 64 MiB for a
    // peer that never sends them (or for many such connections at once).
    private static async Task<byte[]?> ReadPayloadAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        var payload = new byte[Math.Min(length, InitialPayloadBuffer)];
        var filled = 0;
        while (filled < length)
        {
            if (filled == payload.Length)
            {
                Array.Resize(ref payload, (int)Math.Min(length, (long)payload.Length * 2));
            }
            var read = await stream.ReadAsync(payload.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }
            filled += read;
        }
        return payload;
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
