using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Master → minion: a file from the file server.</summary>
[MessagePackObject]
public sealed class FileResponse
{
    /// <summary>Whether the file exists.</summary>
    [Key(0)]
    public bool Found { get; set; }

    /// <summary>The file bytes.</summary>
    [Key(1)]
    public byte[] Contents { get; set; } = [];

    /// <summary>Hex SHA-256 of the contents.</summary>
    [Key(2)]
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>Why the request was refused, if it was.</summary>
    [Key(3)]
    public string Error { get; set; } = string.Empty;

    /// <summary>The file server revision this answer was read at (0: the backends have no revisions, as roots).</summary>
    [Key(4)]
    public long Revision { get; set; }
}
