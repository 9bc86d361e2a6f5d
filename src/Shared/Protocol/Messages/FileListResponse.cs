using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: file server listing.</summary>
[MessagePackObject]
public sealed class FileListResponse
{
    /// <summary>Relative paths.</summary>
    [Key(0)]
    public List<string> Files { get; set; } = [];

    /// <summary>The file server revision this answer was read at (0: the backends have no revisions, as roots).</summary>
    [Key(1)]
    public long Revision { get; set; }
}
