using System.Runtime.Versioning;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

[UnsupportedOSPlatform("windows")]
public sealed class MountModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin();

    public void Dispose() => _harness.Dispose();

    private string Fstab(string text)
    {
        var path = _harness.Path("fstab");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Fstab_ListsEntries_SkipsCommentsAndRenamesRepeats()
    {
        var config = Fstab("# comment\nUUID=abc / ext4 errors=remount-ro 0 1\n\ntmpfs /tmp tmpfs defaults\ntmpfs /tmp tmpfs noexec 0 0\nbad line\n");

        var fstab = (Dictionary<string, object?>)(await _harness.ReturnAsync("mount.fstab", [config], null))!;

        Assert.Equal(["/", "/tmp", "/tmp_"], fstab.Keys);
        var root = (Dictionary<string, object?>)fstab["/"]!;
        Assert.Equal("UUID=abc", root["device"]);
        Assert.Equal(new List<object?> { "errors=remount-ro" }, root["opts"]);
        Assert.Equal("1", root["pass"]);
        Assert.Equal("0", ((Dictionary<string, object?>)fstab["/tmp"]!)["dump"]);
        Assert.Empty((Dictionary<string, object?>)(await _harness.ReturnAsync("mount.fstab", [_harness.Path("missing")], null))!);
    }

    [Fact]
    public async Task SetFstab_NewPresentChange_AndTestWritesNothing()
    {
        var config = Fstab("# keep\n/dev/sda1 / ext4 defaults 0 1\n");

        Assert.Equal("new", await _harness.ReturnAsync("mount.set_fstab", ["/srv/data", "tmpfs", "tmpfs"], Kw(("config", config), ("test", true))));
        Assert.Equal("# keep\n/dev/sda1 / ext4 defaults 0 1\n", File.ReadAllText(config));

        Assert.Equal("new", await _harness.ReturnAsync("mount.set_fstab", ["/srv/data", "tmpfs", "tmpfs"], Kw(("opts", new List<object?> { "noexec", "size=16m" }), ("config", config))));
        Assert.Equal("# keep\n/dev/sda1 / ext4 defaults 0 1\ntmpfs\t\t/srv/data\ttmpfs\tnoexec,size=16m\t0 0\n", File.ReadAllText(config));
        Assert.Equal("present", await _harness.ReturnAsync("mount.set_fstab", ["/srv/data", "tmpfs", "tmpfs"], Kw(("opts", "size=16m,noexec"), ("config", config))));

        Assert.Equal("change", await _harness.ReturnAsync("mount.set_fstab", ["/srv/data", "tmpfs", "tmpfs"], Kw(("opts", "ro"), ("pass_num", 2L), ("config", config))));
        Assert.EndsWith("tmpfs\t\t/srv/data\ttmpfs\tro\t0 2\n", File.ReadAllText(config));
        // ext4 matches on the device, so the same device at another mount point is a change of that line.
        Assert.Equal("change", await _harness.ReturnAsync("mount.set_fstab", ["/mnt", "/dev/sda1", "ext4"], Kw(("config", config))));
        Assert.Contains("/dev/sda1\t\t/mnt\text4\tdefaults\t0 0\n", File.ReadAllText(config));
        Assert.Equal("present", await _harness.ReturnAsync("mount.set_fstab", ["/mnt", "/dev/sda1", "xfs"], Kw(("config", config), ("not_change", true))));
    }

    [Fact]
    public async Task SetFstab_BadInput_FailsAndLeavesTheFileAlone()
    {
        var config = Fstab("tmpfs /srv tmpfs defaults 0 0\n");

        var missing = await _harness.InvokeAsync("mount.set_fstab", ["/srv", "tmpfs", "tmpfs"], Kw(("config", _harness.Path("nope"))));
        var badKey = await _harness.InvokeAsync("mount.set_fstab", ["/srv", "tmpfs", "tmpfs"], Kw(("config", config), ("match_on", "colour")));
        var badType = await _harness.InvokeAsync("mount.set_fstab", ["/srv", "tmpfs", "tmpfs"], Kw(("config", config), ("match_on", 5L)));

        Assert.False(missing.Success);
        Assert.Equal($"Bad config file \"{_harness.Path("nope")}\"", missing.Return);
        Assert.False(badKey.Success);
        Assert.Equal("Unrecognized keys in match_on: \"colour\"", badKey.Return);
        Assert.False(badType.Success);
        Assert.Equal("match_on must be a string or list of strings", badType.Return);
        Assert.Equal("tmpfs /srv tmpfs defaults 0 0\n", File.ReadAllText(config));
    }

    [Fact]
    public async Task RmFstab_RemovesMatchingLines_MissingFileFails()
    {
        var config = Fstab("tmpfs /a tmpfs defaults 0 0\n/dev/sdb1 /b ext4 defaults 0 0\n");

        Assert.Equal(true, await _harness.ReturnAsync("mount.rm_fstab", ["/b", "/dev/sdc1"], Kw(("config", config))));
        Assert.Contains("/b", File.ReadAllText(config));
        Assert.Equal(true, await _harness.ReturnAsync("mount.rm_fstab", ["/b"], Kw(("config", config))));
        Assert.Equal("tmpfs /a tmpfs defaults 0 0\n", File.ReadAllText(config));

        var missing = await _harness.InvokeAsync("mount.rm_fstab", ["/a"], Kw(("config", _harness.Path("gone"))));
        Assert.False(missing.Success);
        Assert.Equal($"Couldn't read from {_harness.Path("gone")}: [Errno 2] No such file or directory: '{_harness.Path("gone")}'", missing.Return);
    }

    [Fact]
    public async Task Active_ListsTheRootMount_ExtendedHasMountinfoFields()
    {
        var active = (Dictionary<string, object?>)(await _harness.ReturnAsync("mount.active"))!;
        var extended = (Dictionary<string, object?>)(await _harness.ReturnAsync("mount.active", [], Kw(("extended", true))))!;

        Assert.True(active.ContainsKey("/"));
        var root = (Dictionary<string, object?>)extended["/"]!;
        Assert.Contains("superopts", root.Keys);
        Assert.Contains("mountid", root.Keys);
        Assert.IsType<List<object?>>(root["opts"]);
        Assert.Equal(true, await _harness.ReturnAsync("mount.is_mounted", "/"));
        Assert.Equal(false, await _harness.ReturnAsync("mount.is_mounted", _harness.Path()));
    }

    [Fact]
    public async Task Umount_NothingMounted_SaysSo()
    {
        var dir = _harness.Path("empty");
        Assert.Equal($"{dir} does not have anything mounted", await _harness.ReturnAsync("mount.umount", dir));
    }

    [Fact]
    public async Task MountCache_WriteReadDelete()
    {
        Assert.Empty((Dictionary<string, object?>)(await _harness.ReturnAsync("mount.read_mount_cache", "/mnt/x"))!);
        Assert.Equal(true, await _harness.ReturnAsync("mount.write_mount_cache", "/mnt/x", "tmpfs", false, "tmpfs", new List<object?> { "noexec" }));

        var cached = (Dictionary<string, object?>)(await _harness.ReturnAsync("mount.read_mount_cache", "/mnt/x"))!;
        Assert.Equal("tmpfs", cached["device"]);
        Assert.Equal(new List<object?> { "noexec" }, cached["opts"]);
        Assert.Equal(true, await _harness.ReturnAsync("mount.delete_mount_cache", "/mnt/x"));
        Assert.Empty((Dictionary<string, object?>)(await _harness.ReturnAsync("mount.read_mount_cache", "/mnt/x"))!);
    }

    [Fact]
    public async Task CommentLine_CommentsAndUncomments_WithBackupAndDiff()
    {
        var path = _harness.Path("modules");
        File.WriteAllText(path, "pcspkr\nsnd\n");

        var diff = await _harness.ReturnAsync("file.comment_line", [path, "^pcspkr"], null);

        Assert.Equal("--- \n+++ \n@@ -1 +1 @@\n-pcspkr\n+#pcspkr\n", diff);
        Assert.Equal("#pcspkr\nsnd\n", File.ReadAllText(path));
        Assert.Equal("pcspkr\nsnd\n", File.ReadAllText(path + ".bak"));
        Assert.Equal(false, await _harness.ReturnAsync("file.comment_line", [path, "^nothing"], null));
        await _harness.ReturnAsync("file.uncomment", [path, "pcspkr"], Kw(("backup", false)));
        Assert.Equal("pcspkr\nsnd\n", File.ReadAllText(path));

        var missing = await _harness.InvokeAsync("file.comment", _harness.Path("nope"), "x");
        Assert.False(missing.Success);
        Assert.Equal($"File not found: {_harness.Path("nope")}", missing.Return);
    }

    [Fact]
    public async Task Blkid_UnknownToken_IsEmpty()
    {
        Assert.Empty((Dictionary<string, object?>)(await _harness.ReturnAsync("disk.blkid", [], Kw(("token", "LABEL=orch-no-such-label-xyz"))))!);
    }
}
