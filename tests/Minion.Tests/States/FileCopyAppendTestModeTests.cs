using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

// file.copy and file.append, in and out of test mode, as Salt 3006's states/file.py returns them.
public class FileCopyAppendTestModeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StateTestHarness _h;

    public FileCopyAppendTestModeTests() => _h = new StateTestHarness(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, object?> Changes(Dictionary<string, object?> r) => (Dictionary<string, object?>)r["changes"]!;

    [Fact]
    public async Task Copy_TestMode_IsNoneWithoutChanges()
    {
        var src = _dir.Combine("src");
        File.WriteAllText(src, "x");
        var dst = _dir.Combine("dst");
        var r = await _h.RunAsync("file.copy", dst, new() { ["source"] = src }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"File \"{src}\" is set to be copied to \"{dst}\"", r["comment"]);
        Assert.Empty(Changes(r));
        Assert.False(File.Exists(dst));
    }

    [Fact]
    public async Task Copy_ForceWithIdenticalFiles_CopiesAnyway()
    {
        var src = _dir.Combine("src");
        var dst = _dir.Combine("dst");
        File.WriteAllText(src, "x");
        File.WriteAllText(dst, "x");
        var r = await _h.RunAsync("file.copy", dst, new() { ["source"] = src, ["force"] = true });
        Assert.Equal(true, r["result"]);
        Assert.Equal($"Copied \"{src}\" to \"{dst}\" - files are identical but force flag is set", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { [dst] = src }, r["changes"]);
    }

    [Fact]
    public async Task Copy_ExistingDirectoryTarget_IsNotOverwritten()
    {
        var src = _dir.Combine("src");
        File.WriteAllText(src, "x");
        var dst = _dir.Combine("d");
        Directory.CreateDirectory(dst);
        var r = await _h.RunAsync("file.copy", dst, new() { ["source"] = src });
        Assert.Equal(true, r["result"]);
        Assert.Equal($"The target file \"{dst}\" exists and will not be overwritten", r["comment"]);
        Assert.Empty(Changes(r));
    }

    [Fact]
    public async Task Copy_DirectorySource_CopiesTheTree()
    {
        var src = _dir.Combine("tree");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        File.WriteAllText(Path.Combine(src, "sub", "f"), "x");
        var dst = _dir.Combine("copy");
        var r = await _h.RunAsync("file.copy", dst, new() { ["source"] = src });
        Assert.Equal(true, r["result"]);
        Assert.Equal("x", File.ReadAllText(Path.Combine(dst, "sub", "f")));
    }

    [Fact]
    public async Task Append_TestModeMissingFile_AnswersWithTouchsReport()
    {
        var path = _dir.Combine("no", "such", "f");
        var r = await _h.RunAsync("file.append", path, new() { ["text"] = "a" }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"File {path} is set to be created", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["new"] = path }, r["changes"]);
    }

    [Fact]
    public async Task Append_MissingDirectory_FileNotFound()
    {
        var path = _dir.Combine("no", "f");
        var r = await _h.RunAsync("file.append", path, new() { ["text"] = "a" });
        Assert.Equal(false, r["result"]);
        Assert.Equal($"{path}: file not found", r["comment"]);
    }

    [Fact]
    public async Task Append_TestMode_DiffIsDifflibJoinedByNewlines()
    {
        var path = _dir.Combine("f");
        File.WriteAllText(path, "a\n");
        var r = await _h.RunAsync("file.append", path, new() { ["text"] = "b" }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"File {path} is set to be updated", r["comment"]);
        Assert.Equal("--- \n\n+++ \n\n@@ -1 +1,2 @@\n\n a\n+b", Changes(r)["diff"]);
        Assert.Equal("a\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Append_TextMatchesWholeLinesIgnoringWhitespace()
    {
        var path = _dir.Combine("f");
        File.WriteAllText(path, "foobar\n  key   = value \n");
        var r = await _h.RunAsync("file.append", path, new() { ["text"] = new List<object?> { "key = value", "foo" } });
        Assert.Equal(true, r["result"]);
        Assert.Equal("Appended 1 lines", r["comment"]);
        Assert.Equal("foobar\n  key   = value \nfoo\n", File.ReadAllText(path));
        var again = await _h.RunAsync("file.append", path, new() { ["text"] = "foo" }, test: true);
        Assert.Equal(true, again["result"]);
        Assert.Equal($"File {path} is in correct state", again["comment"]);
        Assert.Empty(Changes(again));
    }

    [Fact]
    public async Task Append_WithoutIgnoreWhitespace_TextIsARegexSearch()
    {
        var path = _dir.Combine("f");
        File.WriteAllText(path, "axb\n");
        var r = await _h.RunAsync("file.append", path, new() { ["text"] = "a.b", ["ignore_whitespace"] = false });
        Assert.Equal($"File {path} is in correct state", r["comment"]);
        Assert.Empty(Changes(r));
    }
}
