using Orchestrator.Minion.Modules;

namespace Orchestrator.Testing;

/// <summary>A <c>salt://</c> file client serving files from a local directory (one per saltenv is not modelled).</summary>
public sealed class FakeFileClient(string root) : IFileClient
{
    public Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken)
    {
        var relative = url.StartsWith("salt://", StringComparison.Ordinal) ? url["salt://".Length..] : url;
        var path = Path.Combine(root, relative);
        return Task.FromResult(File.Exists(path) ? path : null);
    }

    public Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(
            Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).ToList());
}
