using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion, signed: a fresh challenge, or the key's status when it is not accepted.</summary>
[MessagePackObject]
public sealed class AuthChallenge
{
    /// <summary>accepted (sign the challenge), pending, rejected or denied.</summary>
    [Key(0)]
    public string Status { get; set; } = string.Empty;

    /// <summary>32 random bytes to sign.</summary>
    [Key(1)]
    public byte[] Challenge { get; set; } = [];

    /// <summary>The master's public key, for pinning.</summary>
    [Key(2)]
    public string MasterPublicKeyPem { get; set; } = string.Empty;

    /// <summary>Human-readable detail.</summary>
    [Key(3)]
    public string Message { get; set; } = string.Empty;
}
