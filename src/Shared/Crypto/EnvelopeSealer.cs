using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Crypto;

/// <summary>Seals and opens envelope bodies with AES-256-GCM, binding the whole header as additional authenticated data.</summary>
public static class EnvelopeSealer
{
    /// <summary>AES-256 key length in bytes.</summary>
    public const int KeySize = 32;

    private const int TagSize = 16;

    /// <summary>A fresh random AES-256 key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>Builds an envelope with a fresh nonce and the current time, sealing <paramref name="plaintext"/> under <paramref name="key"/>.</summary>
    public static Envelope Seal(
        MessageType kind, string senderId, byte[] key, byte[] plaintext, long nowMs, int keyGeneration = 0, byte[]? replyTo = null)
    {
        var envelope = new Envelope
        {
            Kind = kind,
            SenderId = senderId,
            Timestamp = nowMs,
            Nonce = RandomNumberGenerator.GetBytes(12),
            KeyGeneration = keyGeneration,
            ReplyTo = replyTo,
        };
        var body = new byte[plaintext.Length + TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(envelope.Nonce, plaintext, body.AsSpan(0, plaintext.Length), body.AsSpan(plaintext.Length), HeaderBytes(envelope));
        envelope.Body = body;
        return envelope;
    }

    /// <summary>Builds a clear envelope (the auth handshake only).</summary>
    public static Envelope Clear(MessageType kind, string senderId, byte[] body, long nowMs, byte[]? replyTo = null) => new()
    {
        Kind = kind,
        SenderId = senderId,
        Timestamp = nowMs,
        Nonce = RandomNumberGenerator.GetBytes(12),
        Body = body,
        ReplyTo = replyTo,
    };

    /// <summary>Opens a sealed body; throws <see cref="CryptographicException"/> if the key is wrong or anything was altered.</summary>
    public static byte[] Open(Envelope envelope, byte[] key)
    {
        if (envelope.Body.Length < TagSize)
        {
            throw new CryptographicException("sealed body too short");
        }
        var cipherLength = envelope.Body.Length - TagSize;
        var plaintext = new byte[cipherLength];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(
            envelope.Nonce, envelope.Body.AsSpan(0, cipherLength), envelope.Body.AsSpan(cipherLength), plaintext, HeaderBytes(envelope));
        return plaintext;
    }

    /// <summary>The authenticated header: everything but body and signature, in a fixed layout.</summary>
    public static byte[] HeaderBytes(Envelope envelope)
    {
        var id = Encoding.UTF8.GetBytes(envelope.SenderId);
        var replyTo = envelope.ReplyTo ?? [];
        var buffer = new byte[1 + 1 + 8 + 4 + 1 + replyTo.Length + 12 + id.Length];
        var span = buffer.AsSpan();
        span[0] = (byte)envelope.Version;
        span[1] = (byte)envelope.Kind;
        BinaryPrimitives.WriteInt64BigEndian(span[2..], envelope.Timestamp);
        BinaryPrimitives.WriteInt32BigEndian(span[10..], envelope.KeyGeneration);
        span[14] = (byte)replyTo.Length;
        replyTo.CopyTo(span[15..]);
        envelope.Nonce.AsSpan(0, Math.Min(12, envelope.Nonce.Length)).CopyTo(span[(15 + replyTo.Length)..]);
        id.CopyTo(span[(27 + replyTo.Length)..]);
        return buffer;
    }
}
