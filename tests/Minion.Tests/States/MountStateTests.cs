using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MountStateTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SystemProcessRunner _runner = new();
    private readonly List<string> _mounted = [];

    public void Dispose()
    {
        foreach (var point in _mounted.Where(IsMounted))
        {
            _runner.RunAsync(new ProcessRequest("umount", [point]), CancellationToken.None).GetAwaiter().GetResult();
        }
        _dir.Dispose();
    }

    private static bool IsMounted(string point) =>
        File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == point);

    /// <summary>Only root in a container that lets it mount tmpfs can run the real mounts.</summary>
    private bool CanMount()
    {
        if (Environment.UserName != "root")
        {
            return false;
        }
        var probe = _dir.Combine("probe");
        Directory.CreateDirectory(probe);
        var ok = _runner.RunAsync(new ProcessRequest("mount", ["-t", "tmpfs", "tmpfs", probe]), CancellationToken.None).GetAwaiter().GetResult().ExitCode == 0;
        if (ok)
        {
            _runner.RunAsync(new ProcessRequest("umount", [probe]), CancellationToken.None).GetAwaiter().GetResult();
        }
        return ok;
    }

    private StateTestHarness Harness()
    {
        var h = new StateTestHarness(_dir.Path, [new MountModule(_runner), new FileModule(_runner, new EtcAccountDatabase()), new DiskModule(_runner)]);
        h.Context.Grains["os"] = "Debian";
        h.Context.Grains["kernel"] = "Linux";
        return h;
    }

    private static Dictionary<string, object?> Changes(Dictionary<string, object?> r) => (Dictionary<string, object?>)r["changes"]!;

    private string Config(string text = "# test fstab\n")
    {
        var path = _dir.Combine("fstab");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Mounted_TestMode_SaysWhatWouldHappen_AndTouchesNothing()
    {
        var config = Config();
        var h = Harness();
        var point = _dir.Combine("data");
        var args = new Dictionary<string, object?> { ["device"] = "UUID=066E0200-2867-4EBE-B9E6-F30026CA2314", ["fstype"] = "xfs", ["config"] = config };

        var missing = await h.RunAsync("mount.mounted", point, args, test: true);
        args["mkmnt"] = true;
        var created = await h.RunAsync("mount.mounted", point, args, test: true);
        Directory.CreateDirectory(point);
        var exists = await h.RunAsync("mount.mounted", point + "/", args, test: true);
        args["mount"] = false;
        var notMounted = await h.RunAsync("mount.mounted", point, args, test: true);

        Assert.Null(missing["result"]);
        Assert.Equal($"{point} does not exist and would not be created", missing["comment"]);
        Assert.Equal($"{point} would be created and mounted", created["comment"]);
        Assert.Equal($"{point} would be mounted", exists["comment"]);
        Assert.Null(notMounted["result"]);
        Assert.Equal($"{point} would not be mounted. {point} needs to be written to the fstab in order to be made persistent.", notMounted["comment"]);
        Assert.Empty(Changes(notMounted));
        Assert.Equal("# test fstab\n", File.ReadAllText(config));
        Assert.False(IsMounted(point));
    }

    [Fact]
    public async Task Mounted_NotMounting_CreatesTheMountPointAndPersists()
    {
        var config = Config();
        var h = Harness();
        var point = _dir.Combine("later");
        var args = new Dictionary<string, object?>
        {
            ["device"] = "/dev/sdz9", ["fstype"] = "ext4", ["config"] = config, ["mount"] = false, ["mkmnt"] = true, ["opts"] = "noatime,nofail",
            ["pass_num"] = 2L,
        };

        var first = await h.RunAsync("mount.mounted", point, args);
        var again = await h.RunAsync("mount.mounted", point, args);

        Assert.Equal(true, first["result"]);
        Assert.Equal($"{point} was created, not mounted. Added new entry to the fstab.", first["comment"]);
        Assert.Equal("new", Changes(first)["persist"]);
        Assert.True(Directory.Exists(point));
        Assert.Equal($"# test fstab\n/dev/sdz9\t\t{point}\text4\tnoatime,nofail\t0 2\n", File.ReadAllText(config));
        Assert.Equal($"{point} not mounted. Entry already exists in the fstab.", again["comment"]);
        Assert.Empty(Changes(again));
    }

    [Fact]
    public async Task Mounted_BadInput_Fails()
    {
        var h = Harness();
        var point = _dir.Combine("bad");

        var noDevice = await h.RunAsync("mount.mounted", point, new() { ["device"] = "", ["fstype"] = "tmpfs" });
        var noFstype = await h.RunAsync("mount.mounted", point, new() { ["device"] = "tmpfs", ["fstype"] = "" });
        var noDir = await h.RunAsync("mount.mounted", point, new() { ["device"] = "tmpfs", ["fstype"] = "tmpfs", ["persist"] = false });
        var badConfig = await h.RunAsync("mount.mounted", point,
            new() { ["device"] = "tmpfs", ["fstype"] = "tmpfs", ["mount"] = false, ["config"] = _dir.Combine("no-fstab") }, test: true);

        Assert.Equal(false, noDevice["result"]);
        Assert.Equal("Must provide device to mount.mounted", noDevice["comment"]);
        Assert.Equal("Must provide fstype to mount.mounted", noFstype["comment"]);
        Assert.Equal(false, noDir["result"]);
        Assert.Equal("Mount directory is not present", noDir["comment"]);
        Assert.Equal(false, badConfig["result"]);
        Assert.Contains($"Bad config file \"{_dir.Combine("no-fstab")}\"", (string)badConfig["comment"]!);
        Assert.False(File.Exists(_dir.Combine("no-fstab")));
    }

    [Fact]
    public async Task Mounted_UnknownLabel_Fails()
    {
        var config = Config();
        var h = Harness();

        var r = await h.RunAsync("mount.mounted", _dir.Combine("lbl"),
            new() { ["device"] = "LABEL=orch-no-such-label", ["fstype"] = "ext4", ["config"] = config, ["mount"] = false });

        Assert.Equal(false, r["result"]);
        Assert.Equal("Unable to find device with label orch-no-such-label.", r["comment"]);
        Assert.Equal("# test fstab\n", File.ReadAllText(config));
    }

    [Fact]
    public async Task Mounted_Tmpfs_MountsPersistsRemountsAndUnmounts()
    {
        if (!CanMount())
        {
            return;
        }
        var config = Config();
        var h = Harness();
        var point = _dir.Combine("mnt");
        _mounted.Add(point);
        var args = new Dictionary<string, object?> { ["device"] = "tmpfs", ["fstype"] = "tmpfs", ["mkmnt"] = true, ["config"] = config };

        var mounted = await h.RunAsync("mount.mounted", point, args);
        Assert.Equal(true, mounted["result"]);
        Assert.Equal("Target was successfully mounted. Added new entry to the fstab.", mounted["comment"]);
        Assert.Equal(true, Changes(mounted)["mount"]);
        Assert.Equal("new", Changes(mounted)["persist"]);
        Assert.True(IsMounted(point));
        Assert.Equal($"# test fstab\ntmpfs\t\t{point}\ttmpfs\tdefaults\t0 0\n", File.ReadAllText(config));

        var again = await h.RunAsync("mount.mounted", point, args);
        Assert.Equal("Target was already mounted. Entry already exists in the fstab.", again["comment"]);
        Assert.Empty(Changes(again));
        Assert.Equal(true, (await h.RunAsync("mount.mounted", point, args, test: true))["result"]);

        args["opts"] = "noexec";
        var superopts = File.ReadAllLines("/proc/self/mountinfo").Single(l => l.Split(' ')[4] == point).Split(" - ")[1];
        var test = await h.RunAsync("mount.mounted", point, args, test: true);
        Assert.Null(test["result"]);
        if (superopts.Contains("size=", StringComparison.Ordinal))
        {
            // Salt compares every wanted option as the active size= superopt, so a tmpfs with a size never remounts.
            Assert.Equal($"Target was already mounted. {point} is mounted, but its fstab entry must be updated.", test["comment"]);
        }
        else
        {
            Assert.Equal("Remount would be forced because options (noexec) changed", test["comment"]);
            var remounted = await h.RunAsync("mount.mounted", point, args);
            Assert.Equal(true, remounted["result"]);
            Assert.Equal("Forced remount because options (noexec) changed", Changes(remounted)["umount"]);
            Assert.Equal("update", Changes(remounted)["persist"]);
            Assert.Equal("Target was already mounted. Updated the entry in the fstab.", remounted["comment"]);
            Assert.Contains("noexec", File.ReadAllLines("/proc/self/mountinfo").Single(l => l.Split(' ')[4] == point).Split(' ')[5]);
        }

        var unmountArgs = new Dictionary<string, object?> { ["config"] = config, ["persist"] = true };
        var wouldUnmount = await h.RunAsync("mount.unmounted", point, unmountArgs, test: true);
        Assert.Null(wouldUnmount["result"]);
        Assert.Equal($"Mount point {point} is mounted but should not be", wouldUnmount["comment"]);
        Assert.True(IsMounted(point));

        var unmounted = await h.RunAsync("mount.unmounted", point, unmountArgs);
        Assert.Equal(true, unmounted["result"]);
        Assert.Equal("Target was successfully unmounted. Removed target from fstab", unmounted["comment"]);
        Assert.Equal(true, Changes(unmounted)["umount"]);
        Assert.Equal("purged", Changes(unmounted)["persist"]);
        Assert.False(IsMounted(point));
        Assert.Equal("# test fstab\n", File.ReadAllText(config));
        Assert.Equal("Target was already unmounted. fstab entry not found", (await h.RunAsync("mount.unmounted", point, unmountArgs))["comment"]);
    }

    [Fact]
    public async Task Mounted_BindMount_MountsOnceThenIsInPlace()
    {
        if (!CanMount())
        {
            return;
        }
        var config = Config();
        var h = Harness();
        var source = _dir.Combine("src");
        var target = _dir.Combine("bound");
        _mounted.Add(target);
        _mounted.Add(source);
        Directory.CreateDirectory(source);
        await _runner.RunAsync(new ProcessRequest("mount", ["-t", "tmpfs", "tmpfs", source]), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        var args = new Dictionary<string, object?>
        {
            ["device"] = Path.Combine(source, "sub"), ["fstype"] = "none", ["opts"] = "bind", ["mkmnt"] = true, ["config"] = config,
        };

        var first = await h.RunAsync("mount.mounted", target, args);
        var second = await h.RunAsync("mount.mounted", target, args);

        Assert.Equal(true, first["result"]);
        Assert.Equal("Target was successfully mounted. Added new entry to the fstab.", first["comment"]);
        Assert.True(IsMounted(target));
        Assert.Equal($"# test fstab\n{source}/sub\t\t{target}\tnone\tbind\t0 0\n", File.ReadAllText(config));
        Assert.Equal(true, second["result"]);
        Assert.Equal("Target was already mounted. Entry already exists in the fstab.", second["comment"]);
        Assert.Empty(Changes(second));
    }

    [Fact]
    public async Task Mounted_WatchingAChange_Remounts()
    {
        if (!CanMount())
        {
            return;
        }
        var h = Harness();
        var point = _dir.Combine("watched");
        _mounted.Add(point);
        File.WriteAllText(_dir.Combine("watch.sls"), $"""
            trigger:
              test.succeed_with_changes: []
            {point}:
              mount.mounted:
                - device: tmpfs
                - fstype: tmpfs
                - mkmnt: True
                - persist: False
                - watch:
                  - test: trigger
            """);

        var first = await h.ApplyAsync("watch");
        var second = await h.ApplyAsync("watch");

        var mounted = first.States.Single(kv => kv.Key.StartsWith("mount_|-", StringComparison.Ordinal)).Value;
        Assert.Equal(true, mounted["result"]);
        Assert.True(IsMounted(point));
        var remounted = second.States.Single(kv => kv.Key.StartsWith("mount_|-", StringComparison.Ordinal)).Value;
        Assert.Equal(true, remounted["result"]);
        Assert.Equal($"{point} remounted", remounted["comment"]);
    }

    [Fact]
    public async Task Mounted_MountFails_ReportsMountsError()
    {
        if (!CanMount())
        {
            return;
        }
        var h = Harness();
        var point = _dir.Combine("fail");
        _mounted.Add(point);
        Directory.CreateDirectory(point);

        var r = await h.RunAsync("mount.mounted", point, new() { ["device"] = "/dev/orch-no-such-device", ["fstype"] = "ext4", ["persist"] = false });

        Assert.Equal(false, r["result"]);
        Assert.False(string.IsNullOrEmpty(r["comment"] as string));
        Assert.Empty(Changes(r));
        Assert.False(IsMounted(point));
    }

    [Fact]
    public async Task FstabPresentAbsent_TestThenReal()
    {
        var config = Config("/dev/sda1 / ext4 defaults 0 1\n");
        var h = Harness();
        var args = new Dictionary<string, object?>
        {
            ["fs_file"] = "/srv/cache/", ["fs_vfstype"] = "tmpfs", ["fs_mntops"] = "size=64m", ["config"] = config, ["mount"] = false,
        };

        var test = await h.RunAsync("mount.fstab_present", "tmpfs", args, test: true);
        Assert.Null(test["result"]);
        Assert.Equal(new List<object?> { $"/srv/cache entry will be written in {config}." }, test["comment"]);
        Assert.Equal("/dev/sda1 / ext4 defaults 0 1\n", File.ReadAllText(config));

        var added = await h.RunAsync("mount.fstab_present", "tmpfs", args);
        Assert.Equal(true, added["result"]);
        Assert.Equal(new List<object?> { $"/srv/cache entry added in {config}." }, added["comment"]);
        Assert.Equal("new", Changes(added)["persist"]);
        Assert.EndsWith("tmpfs\t\t/srv/cache\ttmpfs\tsize=64m\t0 0\n", File.ReadAllText(config));
        Assert.Equal(new List<object?> { $"/srv/cache entry was already in {config}." }, (await h.RunAsync("mount.fstab_present", "tmpfs", args))["comment"]);

        args["fs_mntops"] = "size=128m";
        Assert.Equal(new List<object?> { $"/srv/cache entry will be updated in {config}." }, (await h.RunAsync("mount.fstab_present", "tmpfs", args, test: true))["comment"]);
        var changed = await h.RunAsync("mount.fstab_present", "tmpfs", args);
        Assert.Equal("change", Changes(changed)["persist"]);

        var absentArgs = new Dictionary<string, object?> { ["fs_file"] = "/srv/cache", ["config"] = config };
        Assert.Equal(new List<object?> { $"/srv/cache entry will be removed from {config}." }, (await h.RunAsync("mount.fstab_absent", "tmpfs", absentArgs, test: true))["comment"]);
        var removed = await h.RunAsync("mount.fstab_absent", "tmpfs", absentArgs);
        Assert.Equal(true, removed["result"]);
        Assert.Equal("removed", Changes(removed)["persist"]);
        Assert.Equal("/dev/sda1 / ext4 defaults 0 1\n", File.ReadAllText(config));
        Assert.Equal(new List<object?> { $"/srv/cache entry is already missing in {config}." }, (await h.RunAsync("mount.fstab_absent", "tmpfs", absentArgs))["comment"]);
    }

    [Fact]
    public async Task FstabPresent_UnconvertibleDeviceAndMissingConfig_Fail()
    {
        var h = Harness();

        var unconvertible = await h.RunAsync("mount.fstab_present", "/dev/orch-no-such-device",
            new() { ["fs_file"] = "/srv", ["fs_vfstype"] = "ext4", ["mount_by"] = "uuid", ["config"] = Config() });
        var noConfig = await h.RunAsync("mount.fstab_present", "tmpfs",
            new() { ["fs_file"] = "/srv", ["fs_vfstype"] = "tmpfs", ["config"] = _dir.Combine("none") });

        Assert.Equal(false, unconvertible["result"]);
        Assert.Equal(new List<object?> { "Device /dev/orch-no-such-device cannot be converted to uuid" }, unconvertible["comment"]);
        Assert.Equal(false, noConfig["result"]);
        Assert.Contains("Bad config file", noConfig["comment"]!.ToString(), StringComparison.Ordinal);
    }
}
