using Orchestrator.Master.Jobs;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Runners;

/// <summary>The <c>jobs</c> runner: the job cache, as Salt's jobs runner shows it.</summary>
public static class JobsRunner
{
    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("jobs.list_jobs", "List cached jobs; filters: search_function, search_target (globs), start_time (ISO 8601).", ListJobs),
        new("jobs.lookup_jid", "Return the returns of a job by jid, keyed by minion id.", LookupJid),
        new("jobs.print_job", "Return a job's description and its returns.", PrintJob),
        new("jobs.active", "List jobs still within their timeout, with the minions that have not returned.", Active),
    ];

    private static object? ListJobs(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        DateTimeOffset? since = kwargs.TryGetValue("start_time", out var start) && start is string s && DateTimeOffset.TryParse(s, out var parsed)
            ? parsed : null;
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var job in ctx.Cache.ListJobs(
            kwargs.GetValueOrDefault("search_function") as string, kwargs.GetValueOrDefault("search_target") as string, since))
        {
            result[job.Jid] = Describe(job);
        }
        return result;
    }

    internal static Dictionary<string, object?> Describe(JobRecord job) => new(StringComparer.Ordinal)
    {
        ["Function"] = job.Function,
        ["Arguments"] = job.Args,
        ["Target"] = job.Target,
        ["Target-type"] = job.TargetType,
        ["User"] = job.User,
        ["StartTime"] = job.StartedAt.UtcDateTime.ToString("yyyy, MMM dd HH:mm:ss.ffffff"),
        ["Minions"] = job.Minions.Cast<object?>().ToList(),
    };

    private static string RequireJid(List<object?> args, Dictionary<string, object?> kwargs) =>
        (kwargs.GetValueOrDefault("jid") ?? args.FirstOrDefault()) is { } jid
            ? DataTree.KeyToString(jid)
            : throw new ArgumentException("a jid is required: orch run jobs.lookup_jid <jid>");

    private static object? LookupJid(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var jid = RequireJid(args, kwargs);
        var returns = ctx.Cache.GetReturns(jid);
        var result = returns.ToDictionary(r => r.MinionId, r => r.Return, StringComparer.Ordinal);
        // A state run's returns print as the run printed (highstate); mixed or plain returns as data.
        var hints = returns.Select(r => r.OutputHint).Distinct(StringComparer.Ordinal).ToList();
        return hints is [{ Length: > 0 } hint] ? new RunnerResult(result, 0, hint) : result;
    }

    private static object? PrintJob(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var jid = RequireJid(args, kwargs);
        var job = ctx.Cache.GetJob(jid) ?? throw new ArgumentException($"job {jid} is not in the cache");
        var description = Describe(job);
        description["Result"] = ctx.Cache.GetReturns(jid).ToDictionary(
            r => r.MinionId,
            r => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["return"] = r.Return,
                ["retcode"] = (long)r.Retcode,
                ["success"] = r.Success,
            },
            StringComparer.Ordinal);
        return new Dictionary<string, object?>(StringComparer.Ordinal) { [jid] = description };
    }

    private static object? Active(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var job in ctx.Jobs.Active())
        {
            var record = ctx.Cache.GetJob(job.Jid);
            if (record is null)
            {
                continue;
            }
            var description = Describe(record);
            description["Running"] = job.Running.Cast<object?>().ToList();
            description["Returned"] = job.Returned.Cast<object?>().ToList();
            result[job.Jid] = description;
        }
        return result;
    }
}
