using MessagePack;

namespace Orchestrator.Shared.Protocol.Messages;

/// <summary>Minion → master: list the files of an environment.</summary>
[MessagePackObject]
public sealed class FileListRequest
{
    /// <summary>Environment name.</summary>
    [Key(0)]
    public string Saltenv { get; set; } = string.Empty;

    /// <summary>
    /// The file server revision the asking run pinned (0: none yet). A state run names the revision of its first answer in
    /// every later request, so an update of a git backend in between does not mix two trees into one run.
    /// </summary>
    [Key(1)]
    public long Revision { get; set; }
}
