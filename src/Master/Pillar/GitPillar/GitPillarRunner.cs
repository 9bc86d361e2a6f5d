using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Runners;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>Salt's <c>git_pillar.update</c> runner and <c>cache.clear_git_lock</c> for the gitfs and git_pillar remotes.</summary>
public static class GitPillarRunner
{
    private static readonly string[] LockTypes = ["update", "checkout", "mountpoint"];

    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("git_pillar.update", "Fetch every git_pillar remote; per remote what happened; retcode 1 when any remote failed.", UpdateAsync),
        new("cache.clear_git_lock", "Remove the update locks of the gitfs or git_pillar remotes (role; remote=substring of the URL; type=update).", ClearGitLock),
    ];

    private static async Task<object?> UpdateAsync(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var git = ctx.Services.GetRequiredService<GitPillarBackend>();
        if (git.Remotes.Count == 0)
        {
            throw new ArgumentException("git_pillar.update: no git_pillar remotes are configured (ext_pillar: - git: ...)");
        }
        var results = await ctx.Services.GetRequiredService<GitPillarUpdateService>().UpdateAndFireAsync(cancellationToken);
        var value = GitfsUpdateResult.ByRemote(results);
        return results.Any(r => !r.Success) ? new RunnerResult(value, 1) : value;
    }

    private static object? ClearGitLock(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var role = (kwargs.GetValueOrDefault("role") ?? args.FirstOrDefault())?.ToString()
            ?? throw new ArgumentException("cache.clear_git_lock: a role is required (gitfs or git_pillar)");
        var remote = (kwargs.GetValueOrDefault("remote") ?? args.Skip(1).FirstOrDefault())?.ToString();
        var types = Types(kwargs.GetValueOrDefault("type"));
        foreach (var unknown in kwargs.Keys.Where(k => k is not ("role" or "remote" or "type")))
        {
            throw new ArgumentException($"cache.clear_git_lock: unknown argument '{unknown}' (known: role, remote, type)");
        }
        foreach (var type in types.Where(t => !LockTypes.Contains(t)))
        {
            throw new ArgumentException($"cache.clear_git_lock: unknown lock type '{type}' (known: update, checkout, mountpoint)");
        }
        var (cleared, errors) = role switch
        {
            "gitfs" => ctx.Services.GetRequiredService<GitfsBackend>().ClearLocks(remote),
            "git_pillar" => ctx.Services.GetRequiredService<GitPillarBackend>().ClearLocks(remote),
            _ => throw new ArgumentException($"cache.clear_git_lock: invalid role '{role}' (known: gitfs, git_pillar)"),
        };
        // Only update locks exist here: checkouts are read straight from commits and nothing is mounted.
        if (!types.Contains("update"))
        {
            (cleared, errors) = ([], []);
        }
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (cleared.Count > 0)
        {
            ret["cleared"] = cleared.Cast<object?>().ToList();
        }
        if (errors.Count > 0)
        {
            ret["errors"] = errors.Cast<object?>().ToList();
        }
        if (ret.Count == 0)
        {
            return "No locks were removed";
        }
        return errors.Count > 0 ? new RunnerResult(ret, 1) : ret;
    }

    // Salt takes type as a list or a comma-separated string.
    private static List<string> Types(object? value) => value switch
    {
        null => [.. LockTypes],
        List<object?> list => [.. list.Select(v => v?.ToString() ?? "")],
        _ => [.. value.ToString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
    };
}
