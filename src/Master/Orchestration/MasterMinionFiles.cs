using Orchestrator.Master.Mine;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.StateEngine.Local;

namespace Orchestrator.Master.Orchestration;

/// <summary>
/// The master minion's file client: the master's own <c>file_roots</c>, and the mine read straight from the master's store
/// (as <c>&lt;id&gt;_master</c>, like the mine runner), so an orchestration SLS can use <c>salt['mine.get'](...)</c>.
/// The master minion has no mine of its own: sending, deleting and flushing say so.
/// </summary>
internal sealed class MasterMinionFiles(LocalFileClient files, MineQuery mine, string requester) : IFileClient, IDirectoryLister, IMineClient
{
    public Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken) =>
        files.CacheFileAsync(url, saltenv, cancellationToken);

    public Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken) =>
        files.ListFilesAsync(saltenv, cancellationToken);

    public Task<IReadOnlyList<string>> ListDirectoriesAsync(string saltenv, CancellationToken cancellationToken) =>
        files.ListDirectoriesAsync(saltenv, cancellationToken);

    public Task<Dictionary<string, object?>> GetMineAsync(
        string target, string targetType, IReadOnlyList<string> functions, bool byFunction, CancellationToken cancellationToken) =>
        Task.FromResult(mine.Get(requester, target, targetType, functions, byFunction));

    public Task SendMineAsync(Dictionary<string, object?> data, bool clear, CancellationToken cancellationToken) => throw NoOwnMine();

    public Task DeleteMineAsync(string function, CancellationToken cancellationToken) => throw NoOwnMine();

    public Task FlushMineAsync(CancellationToken cancellationToken) => throw NoOwnMine();

    private ModuleException NoOwnMine() => new($"{requester} keeps no mine of its own: mine data comes from minions");
}
