using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>
/// Minion → master: one chunk of a file pushed by <c>cp.push</c>, stored under the master's
/// <c>cachedir/minions/&lt;id&gt;/files/</c> when its <c>file_recv</c> is on. The sender's session names the minion.
/// </summary>
[MessagePackObject]
public sealed class FileRecv
{
    /// <summary>The path's segments under the minion's files directory (Salt's <c>path</c> list).</summary>
    [Key(0)]
    public List<string> Path { get; set; } = [];

    /// <summary>Where this chunk starts in the file; 0 starts the file afresh.</summary>
    [Key(1)]
    public long Loc { get; set; }

    /// <summary>The chunk's bytes.</summary>
    [Key(2)]
    public byte[] Data { get; set; } = [];

    /// <summary>The whole file's size.</summary>
    [Key(3)]
    public long Size { get; set; }
}
