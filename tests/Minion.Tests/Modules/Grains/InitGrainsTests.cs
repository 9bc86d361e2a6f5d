using Orchestrator.Minion.Modules.Grains;

namespace Orchestrator.Minion.Tests.Modules.Grains;

/// <summary>The init grain from /run/systemd/system and PID 1's command line, as Salt's _linux_init_system.</summary>
public sealed class InitGrainsTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<object?> InitAsync() => (await new InitGrains().CollectAsync(_host.Context, CancellationToken.None))["init"];

    [Fact]
    public async Task SystemdRunning_IsSystemd()
    {
        _host.Dir("/run/systemd/system").Write("/proc/1/cmdline", "/bin/sh\0");
        Assert.Equal("systemd", await InitAsync());
    }

    [Fact]
    public async Task SbinInitLinkedToSystemd_ReadsTheBinaryThroughTheLink()
    {
        _host.Executable("/lib/systemd/systemd", "\x7fELF....SYSTEMD_EXEC_PID....").Link("/usr/bin/init", "/lib/systemd/systemd")
            .Write("/proc/1/cmdline", "/usr/bin/init\0splash\0");
        Assert.Equal("systemd", await InitAsync());
    }

    [Fact]
    public async Task BareInitName_IsFoundOnPath()
    {
        _host.Executable("/usr/bin/init", "...sysvinit version 3.06...").Write("/proc/1/cmdline", "init\0");
        Assert.Equal("sysvinit", await InitAsync());
    }

    [Fact]
    public async Task UpstartIsCheckedBeforeTheOthers()
    {
        _host.Executable("/usr/bin/init", "systemd upstart").Write("/proc/1/cmdline", "/usr/bin/init\0");
        Assert.Equal("upstart", await InitAsync());
    }

    [Fact]
    public async Task ShellAsPid1_WithSystemdAndInitDInstalled_IsUnknown()
    {
        // The container case: systemd is installed and /etc/init.d exists, but PID 1 is a shell.
        _host.Executable("/lib/systemd/systemd", "systemd").Link("/usr/bin/init", "/lib/systemd/systemd").Dir("/etc/init.d")
            .Executable("/bin/sh").Write("/proc/1/cmdline", "/bin/sh\0-c\0sleep infinity\0");
        Assert.Equal("unknown", await InitAsync());
    }

    [Fact]
    public async Task AgentAsPid1_IsUnknown()
    {
        _host.Executable("/process_api").Write("/proc/1/cmdline", "/process_api\0--addr\00.0.0.0:2024\0");
        Assert.Equal("unknown", await InitAsync());
    }

    [Fact]
    public async Task Tini_IsRecognisedByItsPath()
    {
        _host.Executable("/usr/bin/tini").Write("/proc/1/cmdline", "/usr/bin/tini\0--\0app\0");
        Assert.Equal("tini", await InitAsync());
    }

    [Fact]
    public async Task Runit_AndPhusionMyInit()
    {
        _host.Write("/proc/1/cmdline", "runit\0");
        Assert.Equal("runit", await InitAsync());
        _host.Write("/proc/1/cmdline", "/usr/bin/python3\0/sbin/my_init\0");
        Assert.Equal("runit", await InitAsync());
    }

    [Fact]
    public async Task NoCmdline_IsUnknown() => Assert.Equal("unknown", await InitAsync());
}
