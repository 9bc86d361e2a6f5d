using Orchestrator.Minion.Tests.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.States;

public class ArchiveTestModeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("https://example.invalid/app-1.0.tar.gz")]
    [InlineData("salt://app/app-1.0.tar.gz")]
    public async Task Extracted_SourceNotOnMinion_NotFetchedInTestMode(string source)
    {
        var h = new StateTestHarness(_dir.Path);
        var dest = _dir.Combine("opt");
        var r = await h.RunAsync("archive.extracted", dest, new() { ["source"] = source, ["source_hash"] = "sha256=" + new string('a', 64) }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal($"Archive {source} would be cached (if necessary) and checked to discover if extraction is needed", r["comment"]);
        Assert.Empty(h.Cmd.Commands);
        Assert.False(Directory.Exists(dest));
    }

    [Fact]
    public async Task Extracted_MissingLocalSource_Fails()
    {
        var h = new StateTestHarness(_dir.Path);
        var r = await h.RunAsync("archive.extracted", _dir.Combine("opt"), new() { ["source"] = _dir.Combine("none.tar") }, test: true);
        Assert.Equal(false, r["result"]);
        Assert.Equal($"Source file '{_dir.Combine("none.tar")}' does not exist", r["comment"]);
    }
}
