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

    [Fact]
    public async Task Touch_ExistingFileWithTimes_SetsThemAndSaysUpdated()
    {
        var path = _dir.Combine("t.txt");
        File.WriteAllText(path, "x");
        var r = await _h.RunAsync("file.touch", path, new() { ["atime"] = 1_000_000_000L, ["mtime"] = "1100000000" });
        Assert.Equal(true, r["result"]);
        Assert.Equal($"Updated times on file {path}", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["touched"] = path }, r["changes"]);
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_000_000_000), File.GetLastAccessTimeUtc(path));
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_100_000_000), File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task Touch_Directory_SaysDirectory()
    {
        var path = _dir.Combine("d");
        Directory.CreateDirectory(path);
        var r = await _h.RunAsync("file.touch", path, new() { ["mtime"] = 1_000_000_000L });
        Assert.Equal($"Updated times on directory {path}", r["comment"]);
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1_000_000_000), Directory.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task Touch_NonNumericTime_FailsAsSaltInvocationError()
    {
        var path = _dir.Combine("n.txt");
        var r = await _h.RunAsync("file.touch", path, new() { ["mtime"] = "yesterday" });
        Assert.Equal(false, r["result"]);
        Assert.EndsWith("SaltInvocationError: atime and mtime must be integers\n", (string)r["comment"]!);
    }
}
