namespace Orchestrator.Minion.StateEngine;

/// <summary>Where SLS text comes from: the master's file server or local file_roots, per environment.</summary>
public interface ISlsSource
{
    /// <summary>Finds <c>a.b</c> as <c>a/b.sls</c> or <c>a/b/init.sls</c>; null when there is no such SLS.</summary>
    Task<SlsSourceFile?> GetAsync(string sls, string saltenv, CancellationToken cancellationToken);

    /// <summary>Every SLS name available in an environment (for glob includes and top-file globs).</summary>
    Task<IReadOnlyList<string>> ListAsync(string saltenv, CancellationToken cancellationToken);
}
