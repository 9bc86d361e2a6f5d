using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Providers;

public sealed class ServiceManagersTests : IDisposable
{
    private readonly FakeProcessRunner _runner = new();
    private readonly TempDir _root = Some.TempDir();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ForHost_RunSystemdSystemDir_ChoosesSystemd()
    {
        Directory.CreateDirectory(_root.Combine("run", "systemd", "system"));
        Assert.IsType<SystemdServiceManager>(ServiceManagers.ForHost(_runner, _root.Path));
    }

    [Fact]
    public void ForHost_NoSystemd_ChoosesSysvinit() => Assert.IsType<SysvinitServiceManager>(ServiceManagers.ForHost(_runner, _root.Path));

    [Fact]
    public void ForGrains_InitGrain_Decides()
    {
        Assert.IsType<SystemdServiceManager>(ServiceManagers.ForGrains(new Dictionary<string, object?> { ["init"] = "systemd" }, _runner, _root.Path));
        Assert.IsType<SysvinitServiceManager>(ServiceManagers.ForGrains(new Dictionary<string, object?> { ["init"] = "sysvinit" }, _runner, _root.Path));
    }

    [Fact]
    public void ForGrains_UnknownInit_ProbesHost()
    {
        Directory.CreateDirectory(_root.Combine("run", "systemd", "system"));
        Assert.IsType<SystemdServiceManager>(ServiceManagers.ForGrains(new Dictionary<string, object?> { ["init"] = "unknown" }, _runner, _root.Path));
    }

    [Fact]
    public void ModuleProviders_WithGrains_ChoosesFromGrains()
    {
        var providers = new ModuleProviders
        {
            ProcessRunner = _runner,
            HostRoot = _root.Path,
            Grains = new Dictionary<string, object?> { ["init"] = "systemd", ["os_family"] = "Debian" },
        };
        Assert.Equal("systemd", providers.ServiceManager.Name);
        Assert.Equal("apt", providers.PackageManager.Name);
    }
}
