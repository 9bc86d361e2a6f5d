using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion, signed: the outcome of authentication.</summary>
[MessagePackObject]
public sealed class AuthResult
{
    /// <summary>accepted, pending, rejected, denied or failed.</summary>
    [Key(0)]
    public string Status { get; set; } = string.Empty;

    /// <summary>The per-minion AES key, RSA-OAEP encrypted to the minion's public key.</summary>
    [Key(1)]
    public byte[] EncryptedMinionKey { get; set; } = [];

    /// <summary>The publish session key, RSA-OAEP encrypted to the minion's public key.</summary>
    [Key(2)]
    public byte[] EncryptedSessionKey { get; set; } = [];

    /// <summary>Generation of the session key.</summary>
    [Key(3)]
    public int SessionKeyGeneration { get; set; }

    /// <summary>Human-readable detail.</summary>
    [Key(4)]
    public string Message { get; set; } = string.Empty;

    /// <summary>The challenge this result concludes, binding it to that exchange.</summary>
    [Key(5)]
    public byte[] Challenge { get; set; } = [];

    /// <summary>
    /// Both keys in one RSA-OAEP block (a length byte, the minion key, the publish key): one private-key operation for the
    /// minion instead of two (<see cref="Crypto.AuthResultKeys"/>). Empty from masters before it.
    /// </summary>
    [Key(6)]
    public byte[] EncryptedKeys { get; set; } = [];
}
