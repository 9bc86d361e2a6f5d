namespace Orchestrator.Minion.Modules;

/// <summary>Fetches <c>salt://</c> files into the minion's cache: from the master's file server, or from local roots for <c>--local</c>.</summary>
public interface IFileClient
{
    /// <summary>Returns the local path of the cached file, or null when the file server has no such file.</summary>
    Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken);

    /// <summary>Lists the relative paths of every file in the environment (for <c>file.recurse</c> and top-file discovery).</summary>
    Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken);

    /// <summary>
    /// A client whose reads all come from the revision of the file server its first read saw (see
    /// <see cref="FileRevisionPin"/>): what one state run uses. Clients of backends without revisions are their own.
    /// </summary>
    IFileClient Pinned() => this;
}
