using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master, in the clear: proof of possession of the private key.</summary>
[MessagePackObject]
public sealed class AuthProof
{
    /// <summary>The minion id.</summary>
    [Key(0)]
    public string MinionId { get; set; } = string.Empty;

    /// <summary>The challenge being answered.</summary>
    [Key(1)]
    public byte[] Challenge { get; set; } = [];

    /// <summary>RSA-PSS signature over the challenge transcript (see AuthTranscript).</summary>
    [Key(2)]
    public byte[] Signature { get; set; } = [];

    /// <summary>
    /// True when <c>orch call</c> authenticates for one call on a host whose minion daemon may hold the id's session: the
    /// master keeps the daemon's session and gives the call one beside it.
    /// </summary>
    [Key(3)]
    public bool ForCall { get; set; }
}
