using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

// file.touch with test=True answers as Salt 3006's _check_touch does.
public class FileTouchTestModeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StateTestHarness _h;

    public FileTouchTestModeTests() => _h = new StateTestHarness(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Touch_TestModeMissingFile_IsSetToBeCreatedAndWritesNothing()
    {
        var path = _dir.Combine("new.txt");
        var r = await _h.RunAsync("file.touch", path, test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"File {path} is set to be created", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["new"] = path }, r["changes"]);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Touch_TestModeExistingFile_IsTrueButStillReportsNewAsChange()
    {
        var path = _dir.Combine("old.txt");
        File.WriteAllText(path, "x");
        var r = await _h.RunAsync("file.touch", path, test: true);
        Assert.Equal(true, r["result"]);
        Assert.Equal($"File {path} exists and has the correct times", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["new"] = path }, r["changes"]);
    }

    [Fact]
    public async Task Touch_TestModeOtherMtime_TimesSetToBeUpdated()
    {
        var path = _dir.Combine("old.txt");
        File.WriteAllText(path, "x");
        var r = await _h.RunAsync("file.touch", path, new Dictionary<string, object?> { ["mtime"] = 1000L }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"Times set to be updated on file {path}", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["touched"] = path }, r["changes"]);
    }
}
