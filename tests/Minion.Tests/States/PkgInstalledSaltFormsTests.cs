using Orchestrator.Minion.Tests.StateEngine;

namespace Orchestrator.Minion.Tests.States;

public class PkgInstalledSaltFormsTests
{
    private readonly FakePkgModule _pkg = new();
    private readonly StateTestHarness _h;

    public PkgInstalledSaltFormsTests()
    {
        _h = new StateTestHarness(Path.GetTempPath(), [_pkg]);
    }

    private static Dictionary<string, object?> Installed() => new() { ["new"] = "installed", ["old"] = "" };

    [Fact]
    public async Task TestMode_NamesOnlyAndInstalledChanges()
    {
        var r = await _h.RunAsync("pkg.installed", "openssh-server", new() { ["version"] = "latest" }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal("The following packages would be installed/updated: openssh-server", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["openssh-server"] = Installed() }, r["changes"]);
    }

    [Fact]
    public async Task TestMode_PkgsList_OnlyMissingOnes()
    {
        _pkg.Installed["bash"] = "5.2";
        var pkgs = new List<object?> { "bash", new Dictionary<string, object?> { ["git"] = "1:2.39" }, "nginx" };
        var r = await _h.RunAsync("pkg.installed", "tools", new() { ["pkgs"] = pkgs }, test: true);
        Assert.Equal("The following packages would be installed/updated: git, nginx", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["git"] = Installed(), ["nginx"] = Installed() }, r["changes"]);
    }

    [Fact]
    public async Task LatestAlreadyNewest_AlreadyInstalled()
    {
        _pkg.Installed["nginx"] = "1.22";
        var single = await _h.RunAsync("pkg.installed", "nginx", new() { ["version"] = "latest" }, test: true);
        Assert.Equal(true, single["result"]);
        Assert.Equal("All specified packages are already installed and are at the desired version", single["comment"]);
        _pkg.Available["nginx"] = "1.24";
        var upgrade = await _h.RunAsync("pkg.installed", "nginx", new() { ["version"] = "latest" }, test: true);
        Assert.Equal("The following packages would be installed/updated: nginx", upgrade["comment"]);
    }

    [Fact]
    public async Task SingleInstalled_SameCommentsAsAList()
    {
        _pkg.Installed["vim"] = "9.0";
        Assert.Equal("All specified packages are already installed", (await _h.RunAsync("pkg.installed", "vim", test: true))["comment"]);
        Assert.Equal("All specified packages are already installed and are at the desired version",
            (await _h.RunAsync("pkg.installed", "vim", new() { ["version"] = "9.0" }, test: true))["comment"]);
        var pkgs = await _h.RunAsync("pkg.installed", "x", new() { ["pkgs"] = new List<object?> { "vim" } }, test: true);
        Assert.Equal("All specified packages are already installed", pkgs["comment"]);
    }
}
