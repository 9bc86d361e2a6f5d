using System.Runtime.Versioning;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

[UnsupportedOSPlatform("windows")]
public sealed class FileModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task WriteThenRead_RoundTripsLines()
    {
        var path = _harness.Path("motd");
        Assert.Equal($"Wrote 2 lines to \"{path}\"", await _harness.ReturnAsync("file.write", path, "one", "two"));
        Assert.Equal("one\ntwo\n", await _harness.ReturnAsync("file.read", path));
    }

    [Fact]
    public async Task Read_MissingFile_FailsCleanly()
    {
        var result = await _harness.InvokeAsync("file.read", _harness.Path("nope"));
        Assert.False(result.Success);
        Assert.Contains("file not found", (string)result.Return!);
    }

    [Fact]
    public async Task Read_Binary_ReturnsBase64()
    {
        var path = _harness.Path("bin");
        await File.WriteAllBytesAsync(path, [0, 1, 2]);
        Assert.Equal("AAEC", await _harness.ReturnAsync("file.read", [path], Kw(("binary", true))));
    }

    [Fact]
    public async Task Append_AddsNewlineBeforeLinesWhenMissing()
    {
        var path = _harness.Path("f");
        await File.WriteAllTextAsync(path, "first");
        await _harness.ReturnAsync("file.append", path, "second", "third");
        Assert.Equal("first\nsecond\nthird\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Prepend_InsertsAtStart()
    {
        var path = _harness.Path("f");
        await File.WriteAllTextAsync(path, "b\n");
        await _harness.ReturnAsync("file.prepend", path, "a");
        Assert.Equal("a\nb\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Exists_DistinguishesFilesAndDirectories()
    {
        var file = _harness.Path("f");
        await File.WriteAllTextAsync(file, "");
        Assert.Equal(true, await _harness.ReturnAsync("file.exists", file));
        Assert.Equal(true, await _harness.ReturnAsync("file.exists", _harness.TempPath));
        Assert.Equal(true, await _harness.ReturnAsync("file.file_exists", file));
        Assert.Equal(false, await _harness.ReturnAsync("file.file_exists", _harness.TempPath));
        Assert.Equal(true, await _harness.ReturnAsync("file.directory_exists", _harness.TempPath));
        Assert.Equal(false, await _harness.ReturnAsync("file.directory_exists", file));
        Assert.Equal(false, await _harness.ReturnAsync("file.exists", _harness.Path("missing")));
    }

    [Fact]
    public async Task Remove_FileAndTree_ReturnsWhetherRemoved()
    {
        var file = _harness.Path("f");
        await File.WriteAllTextAsync(file, "");
        var dir = _harness.Path("d", "e");
        Directory.CreateDirectory(dir);
        Assert.Equal(true, await _harness.ReturnAsync("file.remove", file));
        Assert.Equal(true, await _harness.ReturnAsync("file.remove", _harness.Path("d")));
        Assert.Equal(false, await _harness.ReturnAsync("file.remove", file));
        Assert.False(Directory.Exists(_harness.Path("d")));
    }

    [Fact]
    public async Task Remove_RelativePath_IsRejected()
    {
        var result = await _harness.InvokeAsync("file.remove", "relative/path");
        Assert.False(result.Success);
        Assert.Contains("must be absolute", (string)result.Return!);
    }

    [Fact]
    public async Task Mkdir_CreatesParentsWithMode()
    {
        var dir = _harness.Path("a", "b", "c");
        Assert.Equal(true, await _harness.ReturnAsync("file.mkdir", [dir], Kw(("mode", "750"))));
        Assert.Equal("0750", await _harness.ReturnAsync("file.get_mode", dir));
    }

    [Fact]
    public async Task Makedirs_CreatesParentOfPath()
    {
        var target = _harness.Path("x", "y", "file.txt");
        Assert.Equal(true, await _harness.ReturnAsync("file.makedirs", target));
        Assert.True(Directory.Exists(_harness.Path("x", "y")));
        Assert.False(File.Exists(target));
        Assert.Contains("already exists", (string)(await _harness.ReturnAsync("file.makedirs", target))!);
    }

    [Fact]
    public async Task Chmod_SetsAndReturnsMode()
    {
        var path = _harness.Path("f");
        await File.WriteAllTextAsync(path, "");
        Assert.Equal("0600", await _harness.ReturnAsync("file.chmod", path, "0600"));
        Assert.Equal("0755", await _harness.ReturnAsync("file.chmod", path, 755));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Chown_ToNobody_ChangesOwner()
    {
        if (Environment.UserName != "root")
        {
            return; // chown to another user needs root; CI runs as root.
        }
        var path = _harness.Path("f");
        await File.WriteAllTextAsync(path, "");
        var result = await _harness.InvokeAsync("file.chown", path, "nobody", "nogroup");
        Assert.True(result.Success, result.Return?.ToString());
        Assert.Null(result.Return);
        Assert.Equal("nobody", await _harness.ReturnAsync("file.get_user", path));
        Assert.Equal("nogroup", await _harness.ReturnAsync("file.get_group", path));
    }

    [Fact]
    public async Task Chown_UnknownUser_FailsCleanly()
    {
        var path = _harness.Path("f");
        await File.WriteAllTextAsync(path, "");
        var result = await _harness.InvokeAsync("file.chown", path, "no-such-user-xyz", "root");
        Assert.False(result.Success);
        Assert.Equal("User does not exist", result.Return);
    }

    [Fact]
    public async Task Stats_ReturnsSaltShape()
    {
        var path = _harness.Path("f");
        await File.WriteAllTextAsync(path, "hello");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var stats = (Dictionary<string, object?>)(await _harness.ReturnAsync("file.stats", [path], Kw(("hash_type", "md5"))))!;
        Assert.Equal(5L, stats["size"]);
        Assert.Equal("0644", stats["mode"]);
        Assert.Equal("file", stats["type"]);
        Assert.Equal(Environment.UserName, stats["user"]);
        Assert.IsType<long>(stats["uid"]);
        Assert.IsType<long>(stats["inode"]);
        Assert.IsType<double>(stats["mtime"]);
        Assert.Equal(path, stats["target"]);
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", stats["sum"]);
        var dir = (Dictionary<string, object?>)(await _harness.ReturnAsync("file.stats", _harness.TempPath))!;
        Assert.Equal("dir", dir["type"]);
    }

    [Fact]
    public async Task Touch_CreatesFileAndSetsMtime()
    {
        var path = _harness.Path("t");
        Assert.Equal(true, await _harness.ReturnAsync("file.touch", [path], Kw(("mtime", 1_000_000_000))));
        Assert.True(File.Exists(path));
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_000_000_000), File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task Copy_FileAndTree()
    {
        var src = _harness.Path("src");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        await File.WriteAllTextAsync(Path.Combine(src, "sub", "a"), "A");
        Assert.Equal(true, await _harness.ReturnAsync("file.copy", [src, _harness.Path("dst")], Kw(("recurse", true))));
        Assert.Equal("A", await File.ReadAllTextAsync(_harness.Path("dst", "sub", "a")));
        Assert.Equal(true, await _harness.ReturnAsync("file.copy", Path.Combine(src, "sub", "a"), _harness.Path("b")));
        Assert.Equal("A", await File.ReadAllTextAsync(_harness.Path("b")));
        Assert.False((await _harness.InvokeAsync("file.copy", src, _harness.Path("dst2"))).Success);
    }

    [Fact]
    public async Task GetHash_MatchesKnownDigests()
    {
        var path = _harness.Path("h");
        await File.WriteAllTextAsync(path, "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", await _harness.ReturnAsync("file.get_hash", path));
        Assert.Equal("a9993e364706816aba3e25717850c26c9cd0d89d", await _harness.ReturnAsync("file.get_hash", path, "sha1"));
        Assert.False((await _harness.InvokeAsync("file.get_hash", path, "crc99")).Success);
    }

    [Fact]
    public async Task BasenameAndDirname_SplitPath()
    {
        Assert.Equal("test.config", await _harness.ReturnAsync("file.basename", "test/test.config"));
        Assert.Equal("test/path", await _harness.ReturnAsync("file.dirname", "test/path/filename.config"));
    }

    [Fact]
    public async Task SymlinkAndReadlink_RoundTrip()
    {
        var target = _harness.Path("target");
        await File.WriteAllTextAsync(target, "");
        var link = _harness.Path("link");
        Assert.Equal(true, await _harness.ReturnAsync("file.symlink", target, link));
        Assert.Equal(target, await _harness.ReturnAsync("file.readlink", link));
        Assert.Equal(true, await _harness.ReturnAsync("file.is_link", link));
        Assert.Equal(true, await _harness.ReturnAsync("file.symlink", target, link));
        Assert.False((await _harness.InvokeAsync("file.symlink", "/etc/hostname", link)).Success);
        Assert.Equal(true, await _harness.ReturnAsync("file.symlink", ["/etc/hostname", link], Kw(("force", true))));
        Assert.Equal("/etc/hostname", await _harness.ReturnAsync("file.readlink", link));
        Assert.False((await _harness.InvokeAsync("file.readlink", target)).Success);
    }

    [Fact]
    public async Task ContainsAndSearch_FindTextAndPatterns()
    {
        var path = _harness.Path("c");
        await File.WriteAllTextAsync(path, "alpha\nbeta 42\n");
        Assert.Equal(true, await _harness.ReturnAsync("file.contains", path, "beta"));
        Assert.Equal(false, await _harness.ReturnAsync("file.contains", path, "gamma"));
        Assert.Equal(true, await _harness.ReturnAsync("file.search", path, @"^beta \d+$"));
        Assert.Equal(false, await _harness.ReturnAsync("file.search", path, "^gamma"));
    }

    [Fact]
    public async Task Replace_WithGroups_ReturnsDiffAndKeepsBackup()
    {
        var path = _harness.Path("conf");
        await File.WriteAllTextAsync(path, "a\nLogLevel warn\nb\n");
        var diff = (string)(await _harness.ReturnAsync("file.replace", path, @"LogLevel (\w+)", @"LogLevel info # was \1"))!;
        Assert.Contains("-LogLevel warn", diff);
        Assert.Contains("+LogLevel info # was warn", diff);
        Assert.Contains("@@ -1,3 +1,3 @@", diff);
        Assert.Equal("a\nLogLevel info # was warn\nb\n", await File.ReadAllTextAsync(path));
        Assert.Equal("a\nLogLevel warn\nb\n", await File.ReadAllTextAsync(path + ".bak"));
    }

    [Fact]
    public async Task Replace_CountAndNoShowChanges_ReturnsBool()
    {
        var path = _harness.Path("conf");
        await File.WriteAllTextAsync(path, "x x x\n");
        Assert.Equal(true, await _harness.ReturnAsync("file.replace", [path, "x", "y"],
            Kw(("count", 2), ("show_changes", false), ("backup", false))));
        Assert.Equal("y y x\n", await File.ReadAllTextAsync(path));
        Assert.False(File.Exists(path + ".bak"));
        Assert.Equal(false, await _harness.ReturnAsync("file.replace", [path, "nomatch", "z"], Kw(("show_changes", false))));
    }

    [Fact]
    public async Task Replace_AppendIfNotFound_AppendsOnce()
    {
        var path = _harness.Path("conf");
        await File.WriteAllTextAsync(path, "a=1");
        await _harness.ReturnAsync("file.replace", [path, "^b=.*", "b=2"], Kw(("append_if_not_found", true)));
        await _harness.ReturnAsync("file.replace", [path, "^c=.*", "b=2"], Kw(("append_if_not_found", true)));
        Assert.Equal("a=1\nb=2\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Replace_DryRunAndSearchOnly_LeaveFileAlone()
    {
        var path = _harness.Path("conf");
        await File.WriteAllTextAsync(path, "foo\n");
        Assert.Equal(true, await _harness.ReturnAsync("file.replace", [path, "foo", "bar"], Kw(("search_only", true))));
        var diff = (string)(await _harness.ReturnAsync("file.replace", [path, "foo", "bar"], Kw(("dry_run", true))))!;
        Assert.Contains("+bar", diff);
        Assert.Equal("foo\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Replace_IgnoreCaseFlagList_Matches()
    {
        var path = _harness.Path("conf");
        await File.WriteAllTextAsync(path, "FOO\n");
        await _harness.ReturnAsync("file.replace", [path, "foo", "bar"], Kw(("flags", new List<object?> { "IGNORECASE", "MULTILINE" })));
        Assert.Equal("bar\n", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Find_NameTypeAndDepth_Filter()
    {
        Directory.CreateDirectory(_harness.Path("r", "sub", "deep"));
        await File.WriteAllTextAsync(_harness.Path("r", "a.bak"), "");
        await File.WriteAllTextAsync(_harness.Path("r", "sub", "b.bak"), "");
        await File.WriteAllTextAsync(_harness.Path("r", "sub", "deep", "c.bak"), new string('x', 2048));
        await File.WriteAllTextAsync(_harness.Path("r", "sub", "keep.txt"), "");
        var root = _harness.Path("r");

        async Task<List<string>> FindAsync(params (string, object?)[] options) =>
            ((List<object?>)(await _harness.ReturnAsync("file.find", [root], Kw(options)))!).Cast<string>().ToList();

        Assert.Equal([_harness.Path("r", "a.bak"), _harness.Path("r", "sub", "b.bak"), _harness.Path("r", "sub", "deep", "c.bak")],
            await FindAsync(("name", "*.bak")));
        Assert.Equal([_harness.Path("r", "a.bak"), _harness.Path("r", "sub", "b.bak")], await FindAsync(("name", "*.bak"), ("maxdepth", 2)));
        Assert.Equal([root, _harness.Path("r", "sub"), _harness.Path("r", "sub", "deep")], await FindAsync(("type", "d")));
        Assert.Equal([_harness.Path("r", "sub", "deep", "c.bak")], await FindAsync(("type", "f"), ("size", "+1k")));
        Assert.Equal([_harness.Path("r", "sub", "keep.txt")], await FindAsync(("iname", "KEEP.*")));
        Assert.Empty(await FindAsync(("mtime", "+1d")));
    }

    [Fact]
    public async Task Rename_MovesFile()
    {
        var src = _harness.Path("a");
        await File.WriteAllTextAsync(src, "x");
        Assert.Equal(true, await _harness.ReturnAsync("file.rename", src, _harness.Path("b")));
        Assert.False(File.Exists(src));
        Assert.True(File.Exists(_harness.Path("b")));
    }
}
