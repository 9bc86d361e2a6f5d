using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

// file.line and file.replace on missing files and bad arguments, as Salt 3006's states/file.py answers.
public class FileLineReplaceTestModeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StateTestHarness _h;

    public FileLineReplaceTestModeTests() => _h = new StateTestHarness(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Line_TestModeMissingFileWithCreate_IsFileNotFound()
    {
        var path = _dir.Combine("f");
        var r = await _h.RunAsync("file.line", path, new() { ["content"] = "a", ["mode"] = "insert", ["location"] = "end", ["create"] = true }, test: true);
        Assert.Equal(false, r["result"]);
        Assert.Equal($"{path}: file not found", r["comment"]);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Line_CreateForReal_CreatesAndInserts()
    {
        var path = _dir.Combine("f");
        var r = await _h.RunAsync("file.line", path, new() { ["content"] = "a", ["mode"] = "Insert", ["location"] = "end", ["create"] = true });
        Assert.Equal(true, r["result"]);
        Assert.Equal("Changes were made", r["comment"]);
        Assert.Equal("a\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Line_NoModeOrNoContent_FailWithSaltsComments()
    {
        var path = _dir.Combine("f");
        File.WriteAllText(path, "x\n");
        Assert.Equal("Mode was not defined. How to process the file?",
            (await _h.RunAsync("file.line", path, new() { ["content"] = "a" }))["comment"]);
        Assert.Equal("Content can only be empty if mode is ['delete']",
            (await _h.RunAsync("file.line", path, new() { ["mode"] = "replace", ["match"] = "x" }))["comment"]);
    }

    [Fact]
    public async Task Replace_IgnoreIfMissing_IsTrueWithoutChanges()
    {
        var path = _dir.Combine("none");
        var r = await _h.RunAsync("file.replace", path, new() { ["pattern"] = "a", ["repl"] = "b", ["ignore_if_missing"] = true }, test: true);
        Assert.Equal(true, r["result"]);
        Assert.Equal("No changes needed to be made", r["comment"]);
        var failed = await _h.RunAsync("file.replace", path, new() { ["pattern"] = "a", ["repl"] = "b" });
        Assert.Equal($"{path}: file not found", failed["comment"]);
    }
}
