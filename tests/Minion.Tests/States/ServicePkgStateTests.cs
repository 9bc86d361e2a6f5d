using Orchestrator.Minion.Tests.StateEngine;

namespace Orchestrator.Minion.Tests.States;

public class ServicePkgStateTests
{
    private readonly FakeServiceModule _service = new();
    private readonly FakePkgModule _pkg = new();
    private readonly StateTestHarness _h;

    public ServicePkgStateTests()
    {
        _h = new StateTestHarness(Path.GetTempPath(), [_service, _pkg]);
    }

    [Fact]
    public async Task Running_StartsAndEnablesThenClean()
    {
        // Salt's _enable replaces the comment (ret.update) and its changes when it enables.
        var r = await _h.RunAsync("service.running", "nginx", new() { ["enable"] = true });
        Assert.Equal("Service nginx has been enabled, and is running", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["nginx"] = true }, r["changes"]);
        Assert.Contains("nginx", _service.Running);
        var again = await _h.RunAsync("service.running", "nginx", new() { ["enable"] = true });
        Assert.Equal("The service nginx is already running", again["comment"]);
        Assert.Empty((Dictionary<string, object?>)again["changes"]!);
    }

    [Fact]
    public async Task Running_AlreadyRunningNotEnabled_TestMode_SetToBeEnabledWithoutChanges()
    {
        _service.Running.Add("nginx");
        var r = await _h.RunAsync("service.running", "nginx", new() { ["enable"] = true }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal("Service nginx set to be enabled", r["comment"]);
        Assert.Empty((Dictionary<string, object?>)r["changes"]!);
        var real = await _h.RunAsync("service.running", "nginx", new() { ["enable"] = true });
        Assert.Equal("Service nginx has been enabled, and is in the desired state", real["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["nginx"] = true }, real["changes"]);
    }

    [Fact]
    public async Task Dead_StartsAlreadyEnabled_KeepsStopChangeAndSaysIsDead()
    {
        _service.Running.Add("db");
        _service.Enabled.Add("db");
        var r = await _h.RunAsync("service.dead", "db", new() { ["enable"] = true });
        Assert.Equal("Service db is already enabled, and is dead", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["db"] = false }, r["changes"]);
    }

    [Fact]
    public async Task Running_EnabledTypo_Fails()
    {
        var r = await _h.RunAsync("service.running", "nginx", new() { ["enabled"] = true });
        Assert.Equal(false, r["result"]);
        Assert.Equal("Service nginx uses non-existent option \"enabled\".  Perhaps \"enable\" option was intended?", r["comment"]);
    }

    [Fact]
    public async Task Watch_StoppedService_RunningStartsItSoModWatchDoesNotRun()
    {
        var result = await StateTestHarnessExtensions.ApplyWithModulesAsync(
            "conf:\n  test.succeed_with_changes\nweb:\n  service.running:\n    - watch:\n      - test: conf\n", [_service]);
        Assert.Equal("Started service web", result.States["service_|-web_|-web_|-running"]["comment"]);
        Assert.Equal(["status web", "enabled web", "start web", "status web", "enabled web"], _service.Calls);
    }

    [Fact]
    public async Task Running_TestMode_DoesNotStart()
    {
        var r = await _h.RunAsync("service.running", "nginx", test: true);
        Assert.Null(r["result"]);
        Assert.Empty(_service.Running);
    }

    [Fact]
    public async Task Dead_StopsRunningService()
    {
        _service.Running.Add("db");
        var r = await _h.RunAsync("service.dead", "db");
        Assert.Equal("Service db was killed", r["comment"]);
        Assert.Equal("The service db is already dead", (await _h.RunAsync("service.dead", "db"))["comment"]);
    }

    [Fact]
    public async Task EnabledDisabled_Toggle()
    {
        Assert.Equal("Service x has been enabled, and is in the desired state", (await _h.RunAsync("service.enabled", "x"))["comment"]);
        Assert.Equal("Service x is already enabled, and is in the desired state", (await _h.RunAsync("service.enabled", "x", test: true))["comment"]);
        Assert.Equal("Service x set to be disabled", (await _h.RunAsync("service.disabled", "x", test: true))["comment"]);
        Assert.Equal("Service x has been disabled, and is in the desired state", (await _h.RunAsync("service.disabled", "x"))["comment"]);
    }

    [Fact]
    public async Task Watch_RunningService_ReloadsWhenAsked()
    {
        _service.Running.Add("web");
        var result = await StateTestHarnessExtensions.ApplyWithModulesAsync(
            "conf:\n  test.succeed_with_changes\nweb:\n  service.running:\n    - reload: True\n    - watch:\n      - test: conf\n",
            [_service]);
        var web = result.States["service_|-web_|-web_|-running"];
        Assert.Equal("Service reloaded", web["comment"]);
    }

    [Fact]
    public async Task Watch_RunningService_Restarts()
    {
        _service.Running.Add("web");
        var result = await StateTestHarnessExtensions.ApplyWithModulesAsync(
            "conf:\n  test.succeed_with_changes\nweb:\n  service.running:\n    - watch:\n      - test: conf\n",
            [_service]);
        Assert.Equal("Service restarted", result.States["service_|-web_|-web_|-running"]["comment"]);
        Assert.Contains("restart web", _service.Calls);
    }

    [Fact]
    public async Task Installed_InstallsThenClean()
    {
        var r = await _h.RunAsync("pkg.installed", "vim");
        Assert.Equal("The following packages were installed/updated: vim", r["comment"]);
        Assert.Equal("All specified packages are already installed", (await _h.RunAsync("pkg.installed", "vim"))["comment"]);
    }

    [Fact]
    public async Task Installed_PkgsListWithVersion()
    {
        _pkg.Installed["git"] = "2.0";
        var r = await _h.RunAsync("pkg.installed", "tools", new() { ["pkgs"] = new List<object?> { "curl", new Dictionary<string, object?> { ["git"] = "2.1" } } });
        Assert.Equal(true, r["result"]);
        Assert.Equal("2.1", _pkg.Installed["git"]);
        Assert.Equal("1.0", _pkg.Installed["curl"]);
    }

    [Fact]
    public async Task Installed_TestMode_Pending()
    {
        var r = await _h.RunAsync("pkg.installed", "vim", test: true);
        Assert.Null(r["result"]);
        Assert.Empty(_pkg.Installed);
    }

    [Fact]
    public async Task Removed_RemovesThenClean()
    {
        _pkg.Installed["nano"] = "1";
        Assert.Equal("All targeted packages were removed.", (await _h.RunAsync("pkg.removed", "nano"))["comment"]);
        Assert.Equal("All specified packages are already absent", (await _h.RunAsync("pkg.removed", "nano"))["comment"]);
    }

    [Fact]
    public async Task Latest_UpgradesWhenNewer()
    {
        _pkg.Installed["vim"] = "1";
        _pkg.Available["vim"] = "2";
        var r = await _h.RunAsync("pkg.latest", "vim");
        Assert.Equal("The following packages were successfully installed/upgraded: vim", r["comment"]);
        Assert.Equal("Package vim is already up-to-date", (await _h.RunAsync("pkg.latest", "vim"))["comment"]);
    }
}
