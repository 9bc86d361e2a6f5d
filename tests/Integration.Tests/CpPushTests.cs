using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a master with <c>file_recv: True</c> and <c>file_recv_max_size: 1</c>; minion push1 sends files up with
/// cp.push / cp.push_dir over the real request channel: a file of several chunks arrives whole under
/// cachedir/minions/push1/files/&lt;path&gt;, upload_path renames it, and a relative path or a file over the limit is False.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class CpPushTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;
    private readonly TempDir _files = new();

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(o =>
        {
            o.FileRecv = true;
            o.FileRecvMaxSize = 1;
        });
        await _cluster.AddMinionAsync("push1");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _files.Dispose();
    }

    private string Received(string path) => Path.Combine(_cluster.MasterOptions.CacheDir, "minions", "push1", "files", path.TrimStart('/'));

    private async Task<object?> CallAsync(params string[] words)
    {
        var result = await _cluster.CliAsync(["--out", "json", "--static", "-t", "30", "push1", .. words]);
        return ((Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!)["push1"];
    }

    [Fact]
    public async Task Push_SendsAFileOfSeveralChunksWhole()
    {
        var source = _files.Combine("data.bin");
        var bytes = new byte[600_000];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(source, bytes);

        Assert.Equal(true, await CallAsync("cp.push", source));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Received(source)));
    }

    [Fact]
    public async Task Push_UploadPathAndRemoveSource()
    {
        var source = _files.Combine("fstab");
        await File.WriteAllTextAsync(source, "proc /proc proc defaults 0 0\n");

        Assert.Equal(true, await CallAsync("cp.push", source, "upload_path=/renamed/fstab", "remove_source=True"));
        Assert.Equal("proc /proc proc defaults 0 0\n", await File.ReadAllTextAsync(Received("renamed/fstab")));
        Assert.False(File.Exists(source));
    }

    [Fact]
    public async Task PushDir_SendsTheMatchingFiles()
    {
        var dir = _files.Combine("modprobe.d");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        await File.WriteAllTextAsync(Path.Combine(dir, "a.conf"), "a");
        await File.WriteAllTextAsync(Path.Combine(dir, "sub", "b.conf"), "b");
        await File.WriteAllTextAsync(Path.Combine(dir, "skip.txt"), "s");

        Assert.Equal(true, await CallAsync("cp.push_dir", dir, "glob=*.conf", "upload_path=/mp"));
        Assert.Equal("a", await File.ReadAllTextAsync(Received("mp/a.conf")));
        Assert.Equal("b", await File.ReadAllTextAsync(Received("mp/sub/b.conf")));
        Assert.False(File.Exists(Received("mp/skip.txt")));
    }

    [Fact]
    public async Task Push_RelativeOrTooLargeIsFalse()
    {
        Assert.Equal(false, await CallAsync("cp.push", "relative/file"));
        var big = _files.Combine("big.bin");
        await File.WriteAllBytesAsync(big, new byte[1024 * 1024 + 10]);
        Assert.Equal(false, await CallAsync("cp.push", big));
        Assert.Equal(false, await CallAsync("cp.push", _files.Combine("absent")));
    }
}
