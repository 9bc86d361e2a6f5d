using LibGit2Sharp;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// One open cache repository shared by the reads of a <see cref="GitfsView"/>. A libgit2 repository must not be used by
/// two threads at once, so reads take turns; once the view is retired the handle is closed and reads answer nothing.
/// </summary>
internal sealed class GitRepoHandle(Repository repository) : IDisposable
{
    private readonly Lock _gate = new();
    private bool _closed;

    public T? Use<T>(Func<Repository, T?> read)
    {
        lock (_gate)
        {
            return _closed ? default : read(repository);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _closed = true;
                repository.Dispose();
            }
        }
    }
}
