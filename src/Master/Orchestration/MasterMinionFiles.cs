using Orchestrator.Master.Mine;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Orchestration;

/// <summary>
/// The master minion's file client: the master's own file server (its <c>fileserver_backend</c> in order, so gitfs too,
/// as Salt's MasterMinion reads through the master's fileserver), files cached under the master minion's cachedir; and
/// the mine read straight from the master's store (as <c>&lt;id&gt;_master</c>, like the mine runner), so an
/// orchestration SLS can use <c>salt['mine.get'](...)</c>. The master minion has no mine of its own: sending, deleting
/// and flushing say so.
/// </summary>
internal sealed class MasterMinionFiles(FileServer.FileServer files, string cacheDir, MineQuery mine, string requester, FileRevisionPin? pin = null)
    : IFileClient, IDirectoryLister, IMineClient
{
    public IFileClient Pinned() => new MasterMinionFiles(files, cacheDir, mine, requester, new FileRevisionPin());

    public async Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken)
    {
        var path = FileCache.RelativePath(url);
        var local = FileCache.LocalPath(cacheDir, saltenv, path.Split('?')[0]);
        var (file, revision) = files.Read(saltenv, path, pin?.Revision ?? 0);
        pin?.Observe(revision);
        if (file is not { } found)
        {
            return null;
        }
        PrivateFiles.EnsureDirectory(cacheDir);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await File.WriteAllBytesAsync(local, found.Contents, cancellationToken).ConfigureAwait(false);
        return local;
    }

    public Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken)
    {
        var (listed, revision) = files.List(saltenv, pin?.Revision ?? 0);
        pin?.Observe(revision);
        return Task.FromResult(listed);
    }

    public Task<IReadOnlyList<string>> ListDirectoriesAsync(string saltenv, CancellationToken cancellationToken) =>
        Task.FromResult(files.DirList(saltenv));

    public Task<Dictionary<string, object?>> GetMineAsync(
        string target, string targetType, IReadOnlyList<string> functions, bool byFunction, CancellationToken cancellationToken) =>
        Task.FromResult(mine.Get(requester, target, targetType, functions, byFunction));

    public Task SendMineAsync(Dictionary<string, object?> data, bool clear, CancellationToken cancellationToken) => throw NoOwnMine();

    public Task DeleteMineAsync(string function, CancellationToken cancellationToken) => throw NoOwnMine();

    public Task FlushMineAsync(CancellationToken cancellationToken) => throw NoOwnMine();

    private ModuleException NoOwnMine() => new($"{requester} keeps no mine of its own: mine data comes from minions");
}
