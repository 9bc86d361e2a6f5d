using Orchestrator.Minion.StateEngine.Local;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.StateEngine;

public class LocalFileClientTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LocalFileClient _client;

    public LocalFileClientTests()
    {
        Directory.CreateDirectory(_dir.Combine("root", "sub"));
        File.WriteAllText(_dir.Combine("root", "sub", "a.txt"), "a");
        File.WriteAllText(_dir.Combine("secret.txt"), "s");
        File.CreateSymbolicLink(_dir.Combine("root", "escape.txt"), _dir.Combine("secret.txt"));
        _client = new LocalFileClient(new Dictionary<string, IReadOnlyList<string>> { ["base"] = [_dir.Combine("root")] });
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task CacheFile_InsideRoot_ReturnsPath()
    {
        Assert.Equal(_dir.Combine("root", "sub", "a.txt"), await _client.CacheFileAsync("salt://sub/a.txt", "base", default));
    }

    [Theory]
    [InlineData("salt://../secret.txt")]
    [InlineData("salt://sub/../../secret.txt")]
    [InlineData("salt:///etc/passwd")]
    [InlineData("salt://escape.txt")]
    public async Task CacheFile_Escaping_ReturnsNull(string url)
    {
        Assert.Null(await _client.CacheFileAsync(url, "base", default));
    }

    [Fact]
    public async Task ListFiles_SkipsEscapingSymlinks()
    {
        Assert.Equal(["sub/a.txt"], await _client.ListFilesAsync("base", default));
    }
}
