using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

public class ServiceOfflineTests
{
    private readonly FakeServiceModule _service = new();

    // The registry reads a module's functions when it is added: build it after setting Offline/Known.
    private StateTestHarness Harness() => new(Path.GetTempPath(), [_service]);

    [Fact]
    public async Task RunningAndDead_Offline_NothingToDo()
    {
        _service.Offline = true;
        var h = Harness();
        foreach (var test in new[] { true, false })
        {
            foreach (var fun in new[] { "service.running", "service.dead" })
            {
                var r = await h.RunAsync(fun, "ssh", new() { ["enable"] = true }, test: test);
                Assert.Equal(true, r["result"]);
                Assert.Equal("Running in OFFLINE mode. Nothing to do", r["comment"]);
            }
        }
        Assert.Empty(_service.Calls);
    }

    [Fact]
    public async Task Enabled_Offline_CannotTell()
    {
        _service.Offline = true;
        var r = await Harness().RunAsync("service.enabled", "ssh", test: true);
        Assert.Equal(false, r["result"]);
        Assert.Equal("Cannot run in offline mode. Failed to get information on unit 'ssh'", r["comment"]);
    }

    [Fact]
    public async Task Watch_Offline_ModWatchStillReports()
    {
        _service.Offline = true;
        var result = await StateTestHarnessExtensions.ApplyWithModulesAsync(
            "conf:\n  test.succeed_with_changes\nssh:\n  service.running:\n    - watch:\n      - test: conf\n", [_service], test: true);
        var ssh = result.States["service_|-ssh_|-ssh_|-running"];
        Assert.Null(ssh["result"]);
        Assert.Equal("Service is set to be started", ssh["comment"]);
    }

    [Fact]
    public async Task NotAvailable_SaltsComments()
    {
        _service.Offline = false;
        _service.Known = ["cron"];
        var h = Harness();
        var test = await h.RunAsync("service.running", "nginx", test: true);
        Assert.Null(test["result"]);
        Assert.Equal("Service nginx not present; if created in this state run, it would have been started", test["comment"]);
        var real = await h.RunAsync("service.running", "nginx");
        Assert.Equal(false, real["result"]);
        Assert.Equal("The named service nginx is not available", real["comment"]);
        var dead = await h.RunAsync("service.dead", "nginx");
        Assert.Equal(true, dead["result"]);
        Assert.Equal("Service nginx not present; if created in this state run, it would have been enabled",
            (await h.RunAsync("service.enabled", "nginx", test: true))["comment"]);
    }

    [Fact]
    public void SystemdOffline_SystemctlWithoutBootedSystemd()
    {
        using var root = new TempDir();
        Directory.CreateDirectory(root.Combine("usr", "bin"));
        Assert.False(ServiceManagers.SystemdOffline(root.Path));
        File.WriteAllText(root.Combine("usr", "bin", "systemctl"), string.Empty);
        Assert.True(ServiceManagers.SystemdOffline(root.Path));
        Directory.CreateDirectory(root.Combine("run", "systemd", "system"));
        Assert.False(ServiceManagers.SystemdOffline(root.Path));
    }

    [Fact]
    public void SystemdOffline_ThisHost_AsSaltSeesIt()
    {
        var expected = !Directory.Exists("/run/systemd/system")
            && (File.Exists("/usr/bin/systemctl") || File.Exists("/bin/systemctl"));
        Assert.Equal(expected, ServiceManagers.SystemdOffline());
    }
}
