using MessagePack;

namespace Orchestrator.Shared.Protocol;

/// <summary>
/// The single frame format on both sockets: a clear header and a body that is sealed (AES-256-GCM) for every kind but the
/// auth handshake.
/// </summary>
/// <remarks>
/// The header fields (<see cref="Version"/>, <see cref="Kind"/>, <see cref="SenderId"/>, <see cref="Timestamp"/>,
/// <see cref="Nonce"/>, <see cref="KeyGeneration"/>, <see cref="ReplyTo"/>) are authenticated as additional data of the AEAD
/// seal, so none can be changed in transit. Keys are integer and append-only.
/// </remarks>
[MessagePackObject]
public sealed class Envelope
{
    /// <summary>The only envelope version this build speaks; anything else is refused, never downgraded to.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Wire format version.</summary>
    [Key(0)]
    public int Version { get; set; } = CurrentVersion;

    /// <summary>What the body holds.</summary>
    [Key(1)]
    public MessageType Kind { get; set; }

    /// <summary>The sender: a minion id, or <c>master</c>.</summary>
    [Key(2)]
    public string SenderId { get; set; } = string.Empty;

    /// <summary>Unix time in milliseconds when the envelope was sealed; outside the replay window it is refused.</summary>
    [Key(3)]
    public long Timestamp { get; set; }

    /// <summary>12 random bytes: the AES-GCM nonce and the replay-detection id.</summary>
    [Key(4)]
    public byte[] Nonce { get; set; } = [];

    /// <summary>The body: ciphertext followed by the 16-byte GCM tag, or clear MessagePack for the handshake.</summary>
    [Key(5)]
    public byte[] Body { get; set; } = [];

    /// <summary>RSA-PSS signature of the master over header and body (publishes and auth replies), else null.</summary>
    [Key(6)]
    public byte[]? Signature { get; set; }

    /// <summary>Generation of the publish session key that sealed a publish; 0 for per-minion sealing.</summary>
    [Key(7)]
    public int KeyGeneration { get; set; }

    /// <summary>For a reply: the nonce of the request it answers.</summary>
    [Key(8)]
    public byte[]? ReplyTo { get; set; }
}
