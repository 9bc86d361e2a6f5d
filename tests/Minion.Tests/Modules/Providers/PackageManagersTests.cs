using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Providers;

public sealed class PackageManagersTests
{
    private readonly FakeProcessRunner _runner = new();

    [Fact]
    public void ForGrains_DebianFamily_ChoosesApt() =>
        Assert.IsType<AptPackageManager>(PackageManagers.ForGrains(new Dictionary<string, object?> { ["os_family"] = "Debian" }, _runner));

    [Fact]
    public void ForGrains_OtherFamily_ChoosesUnsupported() =>
        Assert.IsType<UnsupportedPackageManager>(PackageManagers.ForGrains(new Dictionary<string, object?> { ["os_family"] = "RedHat" }, _runner));
}
