using Orchestrator.Master.Events;
using Orchestrator.Master.Jobs;

namespace Orchestrator.Master.Runners;

/// <summary>
/// Runs a runner function as Salt's master does: under a jid of its own, announced with <c>salt/run/&lt;jid&gt;/new</c> and
/// answered with <c>salt/run/&lt;jid&gt;/ret</c> (success false and the error as the return when it throws), and kept in the
/// job cache under the minion id <c>&lt;master id&gt;_master</c>, as Salt files runner jobs, so <c>jobs.lookup_jid</c> finds
/// it. The CLI's <c>orch run</c> and the reactor's <c>runner.*</c> actions both come through here.
/// </summary>
public sealed class RunnerInvoker(RunnerRegistry registry, RunnerContext context)
{
    public Task<RunnerOutcome> RunAsync(
        string function, List<object?> args, Dictionary<string, object?> kwargs, string user, CancellationToken cancellationToken = default) =>
        RunAsync(context.Jobs.NewJid(), function, args, kwargs, user, cancellationToken);

    /// <summary>Runs under a jid the caller chose: the REST API's <c>runner_async</c> answers with it before the runner ends.</summary>
    public async Task<RunnerOutcome> RunAsync(
        string jid, string function, List<object?> args, Dictionary<string, object?> kwargs, string user, CancellationToken cancellationToken = default)
    {
        var funArgs = FunArgs.Of(args, kwargs);
        var fun = $"runner.{function}";
        var started = context.Time.GetUtcNow();
        var self = $"{context.Options.Id}_master";
        context.Cache.SaveJob(new JobRecord(jid, fun, args, kwargs, self, "list", user, started, 0, [self]));
        context.Events.Publish(EventTag.RunNew(jid), new(StringComparer.Ordinal)
        {
            ["fun"] = fun,
            ["fun_args"] = funArgs,
            ["jid"] = jid,
            ["user"] = user,
        });
        object? result;
        try
        {
            result = await registry.RunAsync(context with { Jid = jid, User = user }, function, args, kwargs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Answer(jid, fun, funArgs, user, e.Message, success: false, started);
            throw;
        }
        var retcode = 0;
        string? outputter = null;
        if (result is RunnerResult described)
        {
            (result, retcode, outputter) = (described.Value, described.Retcode, described.Outputter);
        }
        Answer(jid, fun, funArgs, user, result, success: retcode == 0, started);
        return new RunnerOutcome(jid, result, retcode, outputter);
    }

    private void Answer(string jid, string fun, List<object?> funArgs, string user, object? result, bool success, DateTimeOffset started)
    {
        var elapsed = context.Time.GetUtcNow() - started;
        context.Cache.SaveReturns([new ReturnRecord(
            jid, $"{context.Options.Id}_master", fun, result, success ? 0 : 1, success, started, elapsed.TotalMilliseconds)]);
        context.Events.Publish(EventTag.RunReturn(jid), new(StringComparer.Ordinal)
        {
            ["fun"] = fun,
            ["fun_args"] = funArgs,
            ["jid"] = jid,
            ["return"] = result,
            ["success"] = success,
            ["user"] = user,
        });
    }
}
