using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: fetch a file from the file server.</summary>
[MessagePackObject]
public sealed class FileRequest
{
    /// <summary>Path relative to the environment root (salt:// stripped).</summary>
    [Key(0)]
    public string Path { get; set; } = string.Empty;

    /// <summary>Environment name.</summary>
    [Key(1)]
    public string Saltenv { get; set; } = string.Empty;
}
