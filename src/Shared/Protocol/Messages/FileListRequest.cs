using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: list the files of an environment.</summary>
[MessagePackObject]
public sealed class FileListRequest
{
    /// <summary>Environment name.</summary>
    [Key(0)]
    public string Saltenv { get; set; } = string.Empty;
}
