namespace Orchestrator.Minion.Modules;

/// <summary>A file client that can list an environment's directories itself, empty ones included (local <c>file_roots</c>).</summary>
/// <remarks>An optional capability of <see cref="IFileClient"/>; where a client lacks it, <c>cp.list_master_dirs</c> derives
/// the directories from the file list.</remarks>
public interface IDirectoryLister
{
    /// <summary>Lists the relative paths of every directory of the environment, <c>.</c> for a root itself.</summary>
    Task<IReadOnlyList<string>> ListDirectoriesAsync(string saltenv, CancellationToken cancellationToken);
}
