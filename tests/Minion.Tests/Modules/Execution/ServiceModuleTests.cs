using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class ServiceModuleTests : IDisposable
{
    private readonly FakeProcessRunner _runner = new();
    private readonly TempDir _root = Some.TempDir();

    public void Dispose() => _root.Dispose();

    private ModuleHarness Systemd() =>
        ModuleHarness.Builtin(new ModuleProviders { ProcessRunner = _runner, ServiceManager = new SystemdServiceManager(_runner) });

    private ModuleHarness Sysvinit() =>
        ModuleHarness.Builtin(new ModuleProviders { ProcessRunner = _runner, ServiceManager = new SysvinitServiceManager(_runner, _root.Path) });

    [Fact]
    public async Task Systemd_StartStopRestartReload_RunSystemctl()
    {
        using var harness = Systemd();
        _runner.On("systemctl stop", exitCode: 1);
        Assert.Equal(true, await harness.ReturnAsync("service.start", "nginx"));
        Assert.Equal(false, await harness.ReturnAsync("service.stop", "nginx"));
        Assert.Equal(true, await harness.ReturnAsync("service.restart", "nginx"));
        Assert.Equal(true, await harness.ReturnAsync("service.reload", "nginx.service"));
        Assert.Equal(
            ["systemctl start nginx.service", "systemctl stop nginx.service", "systemctl restart nginx.service", "systemctl reload nginx.service"],
            _runner.CommandLines);
    }

    [Fact]
    public async Task Systemd_StatusAndEnabled_ReadExitCodes()
    {
        using var harness = Systemd();
        _runner.On("systemctl is-active --quiet dead.service", exitCode: 3);
        _runner.On("systemctl is-enabled", stdout: "enabled\n");
        _runner.On("systemctl is-enabled off.service", exitCode: 1, stdout: "disabled\n");
        Assert.Equal(true, await harness.ReturnAsync("service.status", "sshd"));
        Assert.Equal(false, await harness.ReturnAsync("service.status", "dead"));
        Assert.Equal(true, await harness.ReturnAsync("service.enabled", "sshd"));
        Assert.Equal(false, await harness.ReturnAsync("service.enabled", "off"));
        Assert.Equal(true, await harness.ReturnAsync("service.disabled", "off"));
    }

    [Fact]
    public async Task Systemd_EnableDisable_RunSystemctl()
    {
        using var harness = Systemd();
        Assert.Equal(true, await harness.ReturnAsync("service.enable", "nginx"));
        Assert.Equal(true, await harness.ReturnAsync("service.disable", "nginx"));
        Assert.Equal(["systemctl enable nginx.service", "systemctl disable nginx.service"], _runner.CommandLines);
    }

    [Fact]
    public async Task Systemd_GetAllAvailableMissing_ParseUnitFiles()
    {
        using var harness = Systemd();
        _runner.On("systemctl list-unit-files",
            stdout: "ssh.service enabled enabled\ngetty@.service enabled enabled\ncron.service enabled enabled\nfoo.socket enabled enabled\n");
        Assert.Equal(new List<object?> { "cron", "ssh" }, await harness.ReturnAsync("service.get_all"));
        Assert.Equal(true, await harness.ReturnAsync("service.available", "ssh"));
        Assert.Equal(false, await harness.ReturnAsync("service.missing", "ssh"));
        Assert.Equal(true, await harness.ReturnAsync("service.missing", "nginx"));
        Assert.Equal("systemd", await harness.ReturnAsync("service.provider"));
    }

    [Fact]
    public async Task Systemd_StatusGlob_ReturnsDict()
    {
        using var harness = Systemd();
        _runner.On("systemctl list-unit-files", stdout: "ssh.service enabled\nsshd-keygen.service static\ncron.service enabled\n");
        _runner.On("systemctl is-active --quiet sshd-keygen.service", exitCode: 3);
        var status = (Dictionary<string, object?>)(await harness.ReturnAsync("service.status", "ssh*"))!;
        Assert.Equal(new Dictionary<string, object?> { ["ssh"] = true, ["sshd-keygen"] = false }, status);
    }

    [Fact]
    public async Task Sysvinit_ControlAndEnable_RunServiceAndUpdateRcd()
    {
        using var harness = Sysvinit();
        Assert.Equal(true, await harness.ReturnAsync("service.start", "cron"));
        Assert.Equal(true, await harness.ReturnAsync("service.status", "cron"));
        Assert.Equal(true, await harness.ReturnAsync("service.enable", "cron"));
        Assert.Equal(true, await harness.ReturnAsync("service.disable", "cron"));
        Assert.Equal(
            ["service cron start", "service cron status", "update-rc.d cron defaults", "update-rc.d cron enable", "update-rc.d cron disable"],
            _runner.CommandLines);
    }

    [Fact]
    public async Task Sysvinit_GetAllAndEnabled_ReadEtc()
    {
        Directory.CreateDirectory(_root.Combine("etc", "init.d"));
        Directory.CreateDirectory(_root.Combine("etc", "rc2.d"));
        await File.WriteAllTextAsync(_root.Combine("etc", "init.d", "cron"), "");
        await File.WriteAllTextAsync(_root.Combine("etc", "init.d", "hwclock.sh"), "");
        await File.WriteAllTextAsync(_root.Combine("etc", "init.d", "README"), "");
        await File.WriteAllTextAsync(_root.Combine("etc", "rc2.d", "S01cron"), "");
        using var harness = Sysvinit();
        Assert.Equal(new List<object?> { "cron", "hwclock" }, await harness.ReturnAsync("service.get_all"));
        Assert.Equal(true, await harness.ReturnAsync("service.enabled", "cron"));
        Assert.Equal(false, await harness.ReturnAsync("service.enabled", "hwclock"));
        Assert.Equal("sysvinit", await harness.ReturnAsync("service.provider"));
    }

    [Fact]
    public async Task Builtin_RealHost_ListsServicesOfDetectedInit()
    {
        using var harness = ModuleHarness.Builtin();
        var expected = Directory.Exists("/run/systemd/system") ? "systemd" : "sysvinit";
        Assert.Equal(expected, await harness.ReturnAsync("service.provider"));
        if (expected == "sysvinit" && Directory.Exists("/etc/init.d"))
        {
            var all = (List<object?>)(await harness.ReturnAsync("service.get_all"))!;
            Assert.Equal(Directory.EnumerateFiles("/etc/init.d").Count(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "README"),
                all.Count);
        }
    }
}
