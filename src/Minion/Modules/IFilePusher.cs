namespace Orchestrator.Minion.Modules;

/// <summary>A file client that can send files up to the master (<c>cp.push</c>); only the master's client can.</summary>
/// <remarks>An optional capability of <see cref="IFileClient"/>: under <c>--local</c> there is no master to push to.</remarks>
public interface IFilePusher
{
    /// <summary>Sends one chunk of a file; returns null when the master stored it, else the master's reason for refusing.</summary>
    Task<string?> PushChunkAsync(IReadOnlyList<string> path, long loc, byte[] data, long size, CancellationToken cancellationToken);
}
