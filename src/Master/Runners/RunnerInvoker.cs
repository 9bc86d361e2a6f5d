using Orchestrator.Master.Events;

namespace Orchestrator.Master.Runners;

/// <summary>
/// Runs a runner function as Salt's master does: under a jid of its own, announced with <c>salt/run/&lt;jid&gt;/new</c> and
/// answered with <c>salt/run/&lt;jid&gt;/ret</c> (success false and the error as the return when it throws). The CLI's
/// <c>orch run</c> and the reactor's <c>runner.*</c> actions both come through here.
/// </summary>
public sealed class RunnerInvoker(RunnerRegistry registry, RunnerContext context)
{
    public RunnerOutcome Run(string function, List<object?> args, Dictionary<string, object?> kwargs, string user)
    {
        var jid = context.Jobs.NewJid();
        var funArgs = FunArgs.Of(args, kwargs);
        var fun = $"runner.{function}";
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
            result = registry.Run(context, function, args, kwargs);
        }
        catch (Exception e)
        {
            Answer(jid, fun, funArgs, user, e.Message, success: false);
            throw;
        }
        Answer(jid, fun, funArgs, user, result, success: true);
        return new RunnerOutcome(jid, result);
    }

    private void Answer(string jid, string fun, List<object?> funArgs, string user, object? result, bool success) =>
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
