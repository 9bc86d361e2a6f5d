namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Queries and changes installed packages for the <c>pkg</c> module.</summary>
/// <remarks>The module computes Salt's <c>{name: {old, new}}</c> changes by listing before and after; providers only run the tool.</remarks>
public interface IPackageManager
{
    string Name { get; }

    /// <summary>Installed packages: name (with <c>:arch</c> for foreign architectures) to version.</summary>
    Task<IReadOnlyDictionary<string, string>> ListInstalledAsync(CancellationToken cancellationToken);

    /// <summary>The version the package manager would install, or null when no repository offers the package.</summary>
    Task<string?> CandidateVersionAsync(string name, CancellationToken cancellationToken);

    /// <summary>Installs targets (<c>name</c> or <c>name=version</c>).</summary>
    Task<ProcessResult> InstallAsync(IReadOnlyList<string> targets, PackageInstallOptions options, CancellationToken cancellationToken);

    /// <summary>Removes targets; <paramref name="purge"/> also deletes their configuration.</summary>
    Task<ProcessResult> RemoveAsync(IReadOnlyList<string> targets, bool purge, CancellationToken cancellationToken);

    /// <summary>Refreshes repository metadata; returns each source with true (fetched), null (unchanged) or false (failed/ignored), as Salt's apt does.</summary>
    Task<Dictionary<string, object?>> RefreshAsync(CancellationToken cancellationToken);
}
