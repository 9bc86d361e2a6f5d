namespace Orchestrator.Minion.Modules.Providers;

/// <summary>The package provider for hosts without a supported package manager: every call fails with a clear message.</summary>
public sealed class UnsupportedPackageManager(string osFamily) : IPackageManager
{
    public string Name => "unsupported";

    public Task<IReadOnlyDictionary<string, string>> ListInstalledAsync(CancellationToken cancellationToken) => throw Unsupported();

    public Task<string?> CandidateVersionAsync(string name, CancellationToken cancellationToken) => throw Unsupported();

    public Task<ProcessResult> InstallAsync(IReadOnlyList<string> targets, PackageInstallOptions options, CancellationToken cancellationToken) =>
        throw Unsupported();

    public Task<ProcessResult> RemoveAsync(IReadOnlyList<string> targets, bool purge, CancellationToken cancellationToken) => throw Unsupported();

    public Task<Dictionary<string, object?>> RefreshAsync(CancellationToken cancellationToken) => throw Unsupported();

    private ModuleException Unsupported() => new($"pkg is not available: no package provider for os_family '{osFamily}'");
}
