using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.StateEngine;

/// <summary>Reads SLS files through an <see cref="IFileClient"/> (<c>salt://a/b.sls</c>, then <c>salt://a/b/init.sls</c>).</summary>
public sealed class FileClientSlsSource(IFileClient files) : ISlsSource
{
    public async Task<SlsSourceFile?> GetAsync(string sls, string saltenv, CancellationToken cancellationToken)
    {
        var basePath = sls.Replace('.', '/');
        foreach (var relative in new[] { basePath + ".sls", basePath + "/init.sls" })
        {
            var local = await files.CacheFileAsync("salt://" + relative, saltenv, cancellationToken).ConfigureAwait(false);
            if (local is not null && File.Exists(local))
            {
                var text = await File.ReadAllTextAsync(local, cancellationToken).ConfigureAwait(false);
                return new SlsSourceFile(sls, relative, text, Path.GetFullPath(local));
            }
        }
        return null;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string saltenv, CancellationToken cancellationToken)
    {
        var all = await files.ListFilesAsync(saltenv, cancellationToken).ConfigureAwait(false);
        var result = new List<string>();
        foreach (var path in all)
        {
            if (!path.EndsWith(".sls", StringComparison.Ordinal))
            {
                continue;
            }
            var stem = path[..^4];
            if (stem.EndsWith("/init", StringComparison.Ordinal))
            {
                stem = stem[..^5];
            }
            var name = stem.Replace('/', '.');
            if (!result.Contains(name))
            {
                result.Add(name);
            }
        }
        return result;
    }
}
