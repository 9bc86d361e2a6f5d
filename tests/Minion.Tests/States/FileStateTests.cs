using System.Security.Cryptography;
using System.Text;
using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class FileStateTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StateTestHarness _h;

    public FileStateTests()
    {
        Directory.CreateDirectory(_dir.Combine("roots", "files"));
        File.WriteAllText(_dir.Combine("roots", "files", "app.conf"), "port={{ port }}\n");
        File.WriteAllText(_dir.Combine("roots", "files", "plain.txt"), "plain\n");
        Directory.CreateDirectory(_dir.Combine("roots", "tree", "sub"));
        File.WriteAllText(_dir.Combine("roots", "tree", "a.txt"), "a");
        File.WriteAllText(_dir.Combine("roots", "tree", "sub", "b.txt"), "b");
        _h = new StateTestHarness(_dir.Combine("roots")) { Renderer = new FakeRenderer() };
    }

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, object?> Args(params (string Key, object? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static bool Changed(Dictionary<string, object?> r) => r["changes"] is Dictionary<string, object?> { Count: > 0 };

    [Fact]
    public async Task Managed_Contents_CreatesThenIsIdempotent()
    {
        var path = _dir.Combine("out.txt");
        var first = await _h.RunAsync("file.managed", path, Args(("contents", "hello")));
        Assert.Equal(true, first["result"]);
        Assert.Equal($"File {path} updated", first["comment"]);
        Assert.Equal("New file", ((Dictionary<string, object?>)first["changes"]!)["diff"]);
        Assert.Equal("hello\n", File.ReadAllText(path));
        var second = await _h.RunAsync("file.managed", path, Args(("contents", "hello")));
        Assert.False(Changed(second));
        Assert.Equal($"File {path} is in the correct state", second["comment"]);
    }

    [Fact]
    public async Task Managed_ChangedContents_ReportsUnifiedDiff()
    {
        var path = _dir.Combine("out.txt");
        File.WriteAllText(path, "one\ntwo\nthree\n");
        var r = await _h.RunAsync("file.managed", path, Args(("contents", "one\nTWO\nthree")));
        Assert.Equal("--- \n+++ \n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n", ((Dictionary<string, object?>)r["changes"]!)["diff"]);
    }

    [Fact]
    public async Task Managed_TestMode_ChangesNothing()
    {
        var path = _dir.Combine("out.txt");
        var r = await _h.RunAsync("file.managed", path, Args(("contents", "x")), test: true);
        Assert.Null(r["result"]);
        Assert.Equal(path, ((Dictionary<string, object?>)r["changes"]!)["newfile"]);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Managed_SaltSourceWithTemplate_Renders()
    {
        var path = _dir.Combine("app.conf");
        var r = await _h.RunAsync("file.managed", path, Args(("source", "salt://files/app.conf"), ("template", "jinja"),
            ("context", new Dictionary<string, object?> { ["port"] = "8080" })));
        Assert.Equal(true, r["result"]);
        Assert.Equal("port=8080\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Managed_SourceHashMismatch_Fails()
    {
        var path = _dir.Combine("plain.txt");
        var local = _dir.Combine("roots", "files", "plain.txt");
        var bad = await _h.RunAsync("file.managed", path, Args(("source", local), ("source_hash", "sha256=" + new string('0', 64))));
        Assert.Equal(false, bad["result"]);
        var good = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("plain\n")));
        var ok = await _h.RunAsync("file.managed", path, Args(("source", local), ("source_hash", good)));
        Assert.Equal(true, ok["result"]);
        var fromFileserver = await _h.RunAsync("file.managed", _dir.Combine("other.txt"), Args(("source", "salt://files/plain.txt"), ("source_hash", "sha256=" + new string('0', 64))));
        Assert.Equal(true, fromFileserver["result"]);
    }

    [Fact]
    public async Task Managed_MissingSource_Fails()
    {
        var r = await _h.RunAsync("file.managed", _dir.Combine("x"), Args(("source", "salt://files/nope")));
        Assert.Equal(false, r["result"]);
        Assert.Contains("not found", (string)r["comment"]!);
    }

    [Fact]
    public async Task Managed_ContentsPillar_UsesPillarValue()
    {
        _h.Context.Pillar["app"] = new Dictionary<string, object?> { ["motd"] = "welcome\n" };
        var path = _dir.Combine("motd");
        await _h.RunAsync("file.managed", path, Args(("contents_pillar", "app:motd")));
        Assert.Equal("welcome\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Managed_Mode_SetAndReported()
    {
        var path = _dir.Combine("m.txt");
        var r = await _h.RunAsync("file.managed", path, Args(("contents", "x"), ("mode", 600L)));
        Assert.Equal("0600", ((Dictionary<string, object?>)r["changes"]!)["mode"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var again = await _h.RunAsync("file.managed", path, Args(("contents", "x"), ("mode", "0600")));
        Assert.False(Changed(again));
    }

    [Fact]
    public async Task Managed_NoParent_FailsUnlessMakedirs()
    {
        var path = _dir.Combine("a", "b", "c.txt");
        var r = await _h.RunAsync("file.managed", path, Args(("contents", "x")));
        Assert.Equal("Parent directory not present", r["comment"]);
        var ok = await _h.RunAsync("file.managed", path, Args(("contents", "x"), ("makedirs", true)));
        Assert.Equal(true, ok["result"]);
    }

    [Fact]
    public async Task Managed_ReplaceFalse_KeepsExisting()
    {
        var path = _dir.Combine("keep.txt");
        File.WriteAllText(path, "mine\n");
        var r = await _h.RunAsync("file.managed", path, Args(("contents", "theirs"), ("replace", false)));
        Assert.False(Changed(r));
        Assert.Equal("mine\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Directory_CreateThenClean()
    {
        var path = _dir.Combine("d1");
        var r = await _h.RunAsync("file.directory", path);
        Assert.True(Changed(r));
        Assert.True(Directory.Exists(path));
        Assert.False(Changed(await _h.RunAsync("file.directory", path)));
    }

    [Fact]
    public async Task Absent_RemovesThenNoop()
    {
        var path = _dir.Combine("gone.txt");
        File.WriteAllText(path, "x");
        var r = await _h.RunAsync("file.absent", path);
        Assert.Equal($"Removed file {path}", r["comment"]);
        var again = await _h.RunAsync("file.absent", path);
        Assert.Equal($"File {path} is not present", again["comment"]);
    }

    [Fact]
    public async Task Symlink_CreatesThenClean()
    {
        var path = _dir.Combine("link");
        var r = await _h.RunAsync("file.symlink", path, Args(("target", "/etc/hostname")));
        Assert.True(Changed(r));
        Assert.Equal("/etc/hostname", new FileInfo(path).LinkTarget);
        Assert.False(Changed(await _h.RunAsync("file.symlink", path, Args(("target", "/etc/hostname")))));
    }

    [Fact]
    public async Task Append_AddsMissingLinesOnce()
    {
        var path = _dir.Combine("ap.txt");
        File.WriteAllText(path, "a\n");
        var r = await _h.RunAsync("file.append", path, Args(("text", new List<object?> { "b", "a" })));
        Assert.Equal("Appended 1 lines", r["comment"]);
        Assert.Equal("a\nb\n", File.ReadAllText(path));
        Assert.False(Changed(await _h.RunAsync("file.append", path, Args(("text", "b")))));
    }

    [Fact]
    public async Task Replace_RegexThenIdempotent()
    {
        var path = _dir.Combine("r.txt");
        File.WriteAllText(path, "port=80\n");
        var r = await _h.RunAsync("file.replace", path, Args(("pattern", "port=\\d+"), ("repl", "port=8080")));
        Assert.Equal("Changes were made", r["comment"]);
        Assert.Equal("port=8080\n", File.ReadAllText(path));
        Assert.False(Changed(await _h.RunAsync("file.replace", path, Args(("pattern", "port=\\d+"), ("repl", "port=8080")))));
    }

    [Fact]
    public async Task Line_EnsureAndDelete()
    {
        var path = _dir.Combine("l.txt");
        File.WriteAllText(path, "a=1\nb=2\n");
        await _h.RunAsync("file.line", path, Args(("content", "a=9"), ("match", "^a="), ("mode", "replace")));
        Assert.Equal("a=9\nb=2\n", File.ReadAllText(path));
        await _h.RunAsync("file.line", path, Args(("match", "^b="), ("mode", "delete")));
        Assert.Equal("a=9\n", File.ReadAllText(path));
        await _h.RunAsync("file.line", path, Args(("content", "c=3"), ("mode", "insert"), ("location", "end")));
        Assert.Equal("a=9\nc=3\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Touch_CreatesThenUpdates()
    {
        var path = _dir.Combine("t");
        Assert.Equal($"Created empty file {path}", (await _h.RunAsync("file.touch", path))["comment"]);
        Assert.Equal($"Updated times on file {path}", (await _h.RunAsync("file.touch", path))["comment"]);
    }

    [Fact]
    public async Task Copy_CopiesOnce()
    {
        var src = _dir.Combine("src.txt");
        File.WriteAllText(src, "data");
        var dst = _dir.Combine("dst.txt");
        Assert.True(Changed(await _h.RunAsync("file.copy", dst, Args(("source", src)))));
        Assert.Equal("data", File.ReadAllText(dst));
        Assert.False(Changed(await _h.RunAsync("file.copy", dst, Args(("source", src)))));
    }

    [Fact]
    public async Task Recurse_MirrorsTreeThenClean()
    {
        var target = _dir.Combine("mirror");
        var r = await _h.RunAsync("file.recurse", target, Args(("source", "salt://tree")));
        Assert.Equal([Path.Combine(target, "sub"), Path.Combine(target, "a.txt"), Path.Combine(target, "sub", "b.txt")],
            ((Dictionary<string, object?>)r["changes"]!).Keys);
        Assert.Equal("b", File.ReadAllText(Path.Combine(target, "sub", "b.txt")));
        Assert.False(Changed(await _h.RunAsync("file.recurse", target, Args(("source", "salt://tree")))));
    }

    [Fact]
    public async Task Exists_ReportsPresence()
    {
        Assert.Equal(true, (await _h.RunAsync("file.exists", _dir.Path))["result"]);
        Assert.Equal(false, (await _h.RunAsync("file.exists", _dir.Combine("nope")))["result"]);
    }

    [Fact]
    public async Task Managed_RelativePath_Fails()
    {
        var r = await _h.RunAsync("file.managed", "relative.txt", Args(("contents", "x")));
        Assert.Equal("Specified file relative.txt is not an absolute path", r["comment"]);
    }
}
