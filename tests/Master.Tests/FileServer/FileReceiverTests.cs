using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Master.FileServer;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests;

public sealed class FileReceiverTests : IDisposable
{
    private readonly TempDir _cache = new();

    public void Dispose() => _cache.Dispose();

    private FileReceiver Receiver(bool enabled = true, long maxMegabytes = 1) => new(_cache.Path, enabled, maxMegabytes, NullLogger.Instance);

    private string Stored(params string[] parts) => Path.Combine([_cache.Path, "minions", "web1", "files", .. parts]);

    [Fact]
    public void OffByDefaultRefusesAndWritesNothing()
    {
        Assert.Equal("file_recv is not enabled on the master", Receiver(enabled: false).Receive("web1", ["etc", "fstab"], 0, [1, 2]));
        Assert.False(Directory.Exists(Path.Combine(_cache.Path, "minions")));
    }

    [Fact]
    public void ChunksLandAtTheirOffsets_AndAFreshStartTruncates()
    {
        var receiver = Receiver();
        Assert.Null(receiver.Receive("web1", ["etc", "fstab"], 0, "hello "u8.ToArray()));
        Assert.Null(receiver.Receive("web1", ["etc", "fstab"], 6, "world"u8.ToArray()));
        Assert.Equal("hello world", File.ReadAllText(Stored("etc", "fstab")));
        Assert.Null(receiver.Receive("web1", ["etc", "fstab"], 0, "new"u8.ToArray()));
        Assert.Equal("new", File.ReadAllText(Stored("etc", "fstab")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/../../..")]
    [InlineData("")]
    public void PathsOutsideTheMinionsDirectoryAreRefused(string segment)
    {
        var refused = Receiver().Receive("web1", ["etc", segment, "passwd"], 0, [1]);
        Assert.Equal("Attempt to write received file outside of master cache directory", refused);
        Assert.Empty(Directory.EnumerateFiles(_cache.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void ASymlinkOutOfTheDirectoryIsRefused()
    {
        var outside = _cache.Combine("outside");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(Stored());
        Directory.CreateSymbolicLink(Stored("link"), outside);
        Assert.NotNull(Receiver().Receive("web1", ["link", "x"], 0, [1]));
        Assert.Empty(Directory.EnumerateFiles(outside));
    }

    [Fact]
    public void TooLargeOrNegativeOffsetOrBadIdIsRefused()
    {
        var receiver = Receiver(maxMegabytes: 1);
        Assert.Equal("file_recv_max_size limit of 1 MB exceeded", receiver.Receive("web1", ["big"], 1024 * 1024 - 1, [1, 2]));
        Assert.Equal("Invalid file pointer: load[loc] < 0", receiver.Receive("web1", ["f"], -1, [1]));
        Assert.Equal("invalid minion id", receiver.Receive("../evil", ["f"], 0, [1]));
        Assert.False(File.Exists(Stored("big")));
    }
}
