namespace Orchestrator.Minion.Modules;

/// <summary>
/// The file server revision one state run reads at: unset until the first answer names one, then sent with every later
/// request of the run, so a git backend updated mid-run still serves the run the tree it started with.
/// </summary>
public sealed class FileRevisionPin
{
    private long _revision;

    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Takes the revision of an answer when none is pinned yet (0 means the backends have none).</summary>
    public void Observe(long revision)
    {
        if (revision != 0)
        {
            Interlocked.CompareExchange(ref _revision, revision, 0);
        }
    }
}
