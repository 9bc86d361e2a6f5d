using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Master.Mine;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Mine;

public sealed class MineStoreTests : IDisposable
{
    private readonly TempDir _cache = new();

    public void Dispose() => _cache.Dispose();

    private MineStore Store(long maxSize = MineOptions.DefaultMaxSize) => new(_cache.Path, maxSize, NullLogger<MineStore>.Instance);

    private static Dictionary<string, object?> Data(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public void Update_MergesPerFunctionUnlessCleared()
    {
        var store = Store();
        Assert.Null(store.Update("web1", Data(("a", 1L), ("b", 2L)), clear: false, out _));
        Assert.Null(store.Update("web1", Data(("b", 3L)), clear: false, out _));
        Assert.Equal(Data(("a", 1L), ("b", 3L)), store.Read("web1"));

        Assert.Null(store.Update("web1", Data(("c", 4L)), clear: true, out _));
        Assert.Equal(Data(("c", 4L)), store.Read("web1"));
    }

    [Fact]
    public void Update_KeepsEachMinionApart()
    {
        var store = Store();
        store.Update("web1", Data(("ip", "10.0.0.1")), false, out _);
        store.Update("web2", Data(("ip", "10.0.0.2")), false, out _);

        Assert.Equal("10.0.0.1", store.Read("web1")["ip"]);
        Assert.Equal("10.0.0.2", store.Read("web2")["ip"]);
    }

    [Fact]
    public void Update_OverTheLimit_IsRefusedAndKeepsTheOldData()
    {
        var store = Store(maxSize: 2048);
        store.Update("web1", Data(("small", "x")), false, out _);

        var error = store.Update("web1", Data(("big", new string('x', 4096))), false, out var bytes);

        Assert.NotNull(error);
        Assert.Contains("mine_max_size", error);
        Assert.True(bytes > 2048);
        Assert.Equal(Data(("small", "x")), store.Read("web1"));
        Assert.Equal(Data(("small", "x")), Store(maxSize: 2048).Read("web1"));
    }

    [Fact]
    public void Data_SurvivesANewStoreAndIsPrivate()
    {
        Store().Update("web1", Data(("network.ip_addrs", new List<object?> { "10.0.0.1" })), false, out _);

        var reopened = Store();

        Assert.Equal(new List<object?> { "10.0.0.1" }, reopened.Read("web1")["network.ip_addrs"]);
        var file = Path.Combine(reopened.DirectoryPath, "web1.mpack");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(reopened.DirectoryPath));
    }

    [Fact]
    public void DeleteFlushAndForget_RemoveOnlyWhatTheyName()
    {
        var store = Store();
        store.Update("web1", Data(("a", 1L), ("b", 2L)), false, out _);
        store.Update("web2", Data(("a", 1L)), false, out _);

        Assert.True(store.Delete("web1", "a"));
        Assert.False(store.Delete("web1", "missing"));
        Assert.Equal(Data(("b", 2L)), Store().Read("web1"));

        store.Flush("web1");
        Assert.Empty(Store().Read("web1"));

        store.Forget("web2");
        Assert.Empty(store.Read("web2"));
        Assert.False(File.Exists(Path.Combine(store.DirectoryPath, "web2.mpack")));
    }

    [Fact]
    public void InvalidIds_TouchNoFile()
    {
        var store = Store();

        Assert.NotNull(store.Update("../evil", Data(("a", 1L)), false, out _));
        Assert.Empty(store.Read("../evil"));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_cache.Path, "*", SearchOption.AllDirectories), File.Exists);
    }

    [Fact]
    public void UnreadableFile_ReadsAsEmptyAndIsReplacedByTheNextUpdate()
    {
        var store = Store();
        File.WriteAllBytes(Path.Combine(store.DirectoryPath, "web1.mpack"), [0xc1, 0xc1]);

        Assert.Empty(Store().Read("web1"));
        var fresh = Store();
        Assert.Null(fresh.Update("web1", Data(("a", 1L)), false, out _));
        Assert.Equal(Data(("a", 1L)), Store().Read("web1"));
    }
}
