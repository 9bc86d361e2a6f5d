using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: the current publish session key.</summary>
[MessagePackObject]
public sealed class SessionKeyResponse
{
    /// <summary>Key generation.</summary>
    [Key(0)]
    public int Generation { get; set; }

    /// <summary>The AES-256 key.</summary>
    [Key(1)]
    public byte[] Key { get; set; } = [];
}
