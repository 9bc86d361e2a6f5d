using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class PkgModuleTests
{
    private const string DpkgBefore =
        "install ok installed\tvim\t2:9.0-1\tamd64\ninstall ok installed\tlibc6\t2.36-9\tamd64\n" +
        "deinstall ok config-files\told\t1.0\tamd64\ninstall ok installed\tlibfoo\t1.0\ti386\n";

    private const string DpkgAfterInstall = DpkgBefore + "install ok installed\tnginx\t1.22-1\tamd64\n";

    private static FakeProcessRunner Apt() => new FakeProcessRunner()
        .On("dpkg --print-architecture", stdout: "amd64\n")
        .On("dpkg-query", stdout: DpkgBefore);

    private static ModuleHarness Harness(FakeProcessRunner runner) => Builtin(new ModuleProviders { ProcessRunner = runner });

    [Fact]
    public async Task ListPkgs_ParsesInstalledOnly_WithForeignArch()
    {
        using var harness = Harness(Apt());
        var pkgs = (Dictionary<string, object?>)(await harness.ReturnAsync("pkg.list_pkgs"))!;
        Assert.Equal(new Dictionary<string, object?> { ["libc6"] = "2.36-9", ["libfoo:i386"] = "1.0", ["vim"] = "2:9.0-1" }, pkgs);
        var asList = (Dictionary<string, object?>)(await harness.ReturnAsync("pkg.list_pkgs", [], Kw(("versions_as_list", true))))!;
        Assert.Equal(new List<object?> { "2:9.0-1" }, asList["vim"]);
    }

    [Fact]
    public async Task ListPkgs_RealDpkgDatabase_IncludesDpkgItself()
    {
        if (!File.Exists("/usr/bin/dpkg-query"))
        {
            return; // Not a Debian host.
        }
        using var harness = Builtin();
        var pkgs = (Dictionary<string, object?>)(await harness.ReturnAsync("pkg.list_pkgs"))!;
        Assert.True(pkgs.Count > 10);
        Assert.IsType<string>(pkgs["dpkg"]);
        Assert.Equal(pkgs["dpkg"], await harness.ReturnAsync("pkg.version", "dpkg"));
    }

    [Fact]
    public async Task Version_OneOrMany()
    {
        using var harness = Harness(Apt());
        Assert.Equal("2:9.0-1", await harness.ReturnAsync("pkg.version", "vim"));
        Assert.Equal(string.Empty, await harness.ReturnAsync("pkg.version", "emacs"));
        Assert.Equal(new Dictionary<string, object?> { ["vim"] = "2:9.0-1", ["emacs"] = "" }, await harness.ReturnAsync("pkg.version", "vim", "emacs"));
    }

    [Fact]
    public async Task Install_Name_ReturnsChangesAndRunsAptNonInteractively()
    {
        var runner = Apt();
        var installed = false;
        runner.On(r => r.FileName == "dpkg-query", _ => new ProcessResult(1, 0, installed ? DpkgAfterInstall : DpkgBefore, ""));
        runner.On(r => r.FileName == "apt-get", _ =>
        {
            installed = true;
            return new ProcessResult(2, 0, "", "");
        });
        using var harness = Harness(runner);
        var changes = await harness.ReturnAsync("pkg.install", ["nginx"], Kw(("version", "1.22-1")));
        Assert.Equal(new Dictionary<string, object?> { ["nginx"] = new Dictionary<string, object?> { ["old"] = "", ["new"] = "1.22-1" } }, changes);
        var apt = Assert.Single(runner.Requests, r => r.FileName == "apt-get");
        Assert.Equal("install", apt.Arguments[^2]);
        Assert.Equal("nginx=1.22-1", apt.Arguments[^1]);
        Assert.Equal("noninteractive", apt.Environment!["DEBIAN_FRONTEND"]);
    }

    [Fact]
    public async Task Install_PkgsList_PinsVersions()
    {
        var runner = Apt();
        using var harness = Harness(runner);
        await harness.ReturnAsync("pkg.install", [], Kw(("pkgs", new List<object?> { "a", new Dictionary<string, object?> { ["b"] = "1.2" } }), ("refresh", true)));
        Assert.Contains("apt-get -q update", runner.CommandLines);
        Assert.EndsWith("install a b=1.2", Assert.Single(runner.CommandLines, c => c.Contains(" install ")));
    }

    [Fact]
    public async Task Install_Options_MapToAptSwitches()
    {
        var runner = Apt();
        using var harness = Harness(runner);
        await harness.ReturnAsync("pkg.install", ["vim"], Kw(("fromrepo", "bookworm-backports"), ("skip_verify", true), ("reinstall", true)));
        var install = Assert.Single(runner.CommandLines, c => c.Contains(" install "));
        Assert.Contains("--reinstall -t bookworm-backports --allow-unauthenticated install vim", install);
    }

    [Fact]
    public async Task UnsupportedFamily_FailsWithClearMessage()
    {
        using var harness = Builtin(new ModuleProviders
        {
            ProcessRunner = new FakeProcessRunner(),
            Grains = new Dictionary<string, object?> { ["os_family"] = "Arch" },
        });
        var result = await harness.InvokeAsync("pkg.list_pkgs");
        Assert.False(result.Success);
        Assert.Contains("no package provider for os_family 'Arch'", (string)result.Return!);
    }

    [Fact]
    public async Task Install_AptFails_ReturnsCleanError()
    {
        var runner = Apt().On("apt-get", exitCode: 100, stderr: "E: Unable to locate package nosuch\n");
        using var harness = Harness(runner);
        var result = await harness.InvokeAsync("pkg.install", "nosuch");
        Assert.False(result.Success);
        Assert.Contains("E: Unable to locate package nosuch", (string)result.Return!);
    }

    [Fact]
    public async Task Install_NothingGiven_Fails() =>
        Assert.False((await Harness(Apt()).InvokeAsync("pkg.install")).Success);

    [Fact]
    public async Task RemoveAndPurge_ReturnChanges()
    {
        var runner = Apt();
        var removed = false;
        runner.On(r => r.FileName == "dpkg-query", _ => new ProcessResult(1, 0, removed ? DpkgBefore.Replace("install ok installed\tvim\t2:9.0-1\tamd64\n", "") : DpkgBefore, ""));
        runner.On(r => r.FileName == "apt-get", _ =>
        {
            removed = true;
            return new ProcessResult(2, 0, "", "");
        });
        using var harness = Harness(runner);
        var changes = await harness.ReturnAsync("pkg.remove", "vim");
        Assert.Equal(new Dictionary<string, object?> { ["vim"] = new Dictionary<string, object?> { ["old"] = "2:9.0-1", ["new"] = "" } }, changes);
        Assert.Contains("apt-get -q -y remove vim", runner.CommandLines);
        await harness.ReturnAsync("pkg.purge", "old");
        Assert.Contains("apt-get -q -y purge old", runner.CommandLines);
    }

    [Fact]
    public async Task Remove_NotInstalled_ReturnsEmptyWithoutRunningApt()
    {
        var runner = Apt();
        using var harness = Harness(runner);
        Assert.Equal(new Dictionary<string, object?>(), await harness.ReturnAsync("pkg.remove", "emacs"));
        Assert.DoesNotContain(runner.Requests, r => r.FileName == "apt-get");
    }

    [Fact]
    public async Task LatestVersion_ComparesCandidateWithInstalled()
    {
        var runner = Apt()
            .On("apt-cache -q policy vim", stdout: "vim:\n  Installed: 2:9.0-1\n  Candidate: 2:9.0-2\n")
            .On("apt-cache -q policy libc6", stdout: "libc6:\n  Installed: 2.36-9\n  Candidate: 2.36-9\n")
            .On("apt-cache -q policy nosuch", stdout: "");
        using var harness = Harness(runner);
        Assert.Equal("2:9.0-2", await harness.ReturnAsync("pkg.latest_version", ["vim"], Kw(("refresh", false))));
        Assert.Equal(new Dictionary<string, object?> { ["libc6"] = "", ["nosuch"] = "" },
            await harness.ReturnAsync("pkg.latest_version", ["libc6", "nosuch"], Kw(("refresh", false))));
        Assert.Equal(true, await harness.ReturnAsync("pkg.upgrade_available", ["vim"], Kw(("refresh", false))));
        Assert.Equal(false, await harness.ReturnAsync("pkg.upgrade_available", ["libc6"], Kw(("refresh", false))));
        Assert.DoesNotContain("apt-get -q update", runner.CommandLines);
        await harness.ReturnAsync("pkg.latest_version", "vim");
        Assert.Contains("apt-get -q update", runner.CommandLines);
    }

    [Fact]
    public async Task RefreshDb_ParsesAptUpdateOutput()
    {
        var runner = Apt().On("apt-get -q update", stdout:
            "Hit:1 http://deb.debian.org/debian bookworm InRelease\nGet:2 http://security.debian.org bookworm-security InRelease [48.0 kB]\n" +
            "Ign:3 http://example.com/repo stable InRelease\nReading package lists...\n");
        using var harness = Harness(runner);
        Assert.Equal(new Dictionary<string, object?>
        {
            ["http://deb.debian.org/debian bookworm InRelease"] = null,
            ["http://security.debian.org bookworm-security InRelease"] = true,
            ["http://example.com/repo stable InRelease"] = false,
        }, await harness.ReturnAsync("pkg.refresh_db"));
    }
}
