namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Picks the package provider from the grains.</summary>
public static class PackageManagers
{
    /// <summary>apt for the Debian family (or when dpkg is present and grains say nothing), else a provider that reports pkg as unavailable.</summary>
    public static IPackageManager ForGrains(IReadOnlyDictionary<string, object?> grains, IProcessRunner runner)
    {
        var family = grains.GetValueOrDefault("os_family") as string;
        if (family == "Debian" || (family is null && File.Exists("/usr/bin/dpkg-query")))
        {
            return new AptPackageManager(runner);
        }
        return new UnsupportedPackageManager(family ?? "unknown");
    }
}
