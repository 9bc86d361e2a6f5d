using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: file server listing.</summary>
[MessagePackObject]
public sealed class FileListResponse
{
    /// <summary>Relative paths.</summary>
    [Key(0)]
    public List<string> Files { get; set; } = [];
}
