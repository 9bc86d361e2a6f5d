using Orchestrator.Master.Events;
using Orchestrator.Master.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>Salt's <c>fileserver</c> runner: update the backends, list saltenvs, files and directories, clear the gitfs cache.</summary>
public static class FileserverRunner
{
    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("fileserver.update", "Fetch every gitfs remote (backend=gitfs); per remote what happened; retcode 1 when any remote failed.", UpdateAsync),
        new("fileserver.envs", "The saltenvs the file server backends serve.", (ctx, _, _) => Files(ctx).Envs().Cast<object?>().ToList()),
        new("fileserver.file_list", "Files of a saltenv (saltenv=base) across the backends.", (ctx, args, kwargs) =>
            Files(ctx).List(Saltenv(args, kwargs)).Cast<object?>().ToList()),
        new("fileserver.dir_list", "Directories of a saltenv (saltenv=base) across the backends.", (ctx, args, kwargs) =>
            Files(ctx).DirList(Saltenv(args, kwargs)).Cast<object?>().ToList()),
        new("fileserver.clear_cache", "Remove the gitfs caches; the next update fetches the remotes anew.", (ctx, _, _) =>
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["gitfs"] = ctx.Services.GetRequiredService<GitfsBackend>().ClearCache().Cast<object?>().ToList(),
            }),
    ];

    private static async Task<object?> UpdateAsync(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var backend = kwargs.GetValueOrDefault("backend") ?? args.FirstOrDefault();
        if (backend is not null && backend.ToString() is var name && name != "roots" && !GitfsOptions.IsGitfs(name!))
        {
            throw new ArgumentException($"fileserver.update: unknown backend '{name}' (known: roots, gitfs)");
        }
        if (backend?.ToString() == "roots" || !ctx.Options.Gitfs.Enabled)
        {
            // roots reads the disk on every request: nothing to fetch.
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        var results = await ctx.Services.GetRequiredService<GitfsUpdateService>().UpdateAndFireAsync(cancellationToken);
        var value = new Dictionary<string, object?>(StringComparer.Ordinal) { ["gitfs"] = GitfsUpdateResult.ByRemote(results) };
        return results.Any(r => !r.Success) ? new RunnerResult(value, 1) : value;
    }

    private static FileServer Files(RunnerContext ctx) => ctx.Services.GetRequiredService<FileServer>();

    private static string Saltenv(List<object?> args, Dictionary<string, object?> kwargs) =>
        (kwargs.GetValueOrDefault("saltenv") ?? args.FirstOrDefault())?.ToString() ?? "base";
}
