using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master, in the clear: the minion's id and public key; starts the challenge–response.</summary>
[MessagePackObject]
public sealed class AuthHello
{
    /// <summary>The minion id (validated before it touches a path).</summary>
    [Key(0)]
    public string MinionId { get; set; } = string.Empty;

    /// <summary>The minion's RSA public key, PEM (SubjectPublicKeyInfo).</summary>
    [Key(1)]
    public string PublicKeyPem { get; set; } = string.Empty;
}
