namespace Orchestrator.Minion.Modules.Providers;

/// <summary>How <see cref="IPackageManager.InstallAsync"/> installs: Salt's <c>pkg.install</c> switches.</summary>
public sealed record PackageInstallOptions
{
    public bool Reinstall { get; init; }

    /// <summary>Prefer this release/repository (apt's <c>-t</c>).</summary>
    public string? FromRepo { get; init; }

    /// <summary>Install unauthenticated packages.</summary>
    public bool SkipVerify { get; init; }

    /// <summary>Only download the packages.</summary>
    public bool DownloadOnly { get; init; }
}
