using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// Runs actions as Salt's ReactWrap does: <c>local</c> publishes a job without waiting for it (cmd_async), <c>runner</c>
/// runs under a jid of its own through <see cref="RunnerInvoker"/>, <c>wheel</c> through <see cref="ReactorWheel"/>,
/// <c>caller</c> through <see cref="ReactorCaller"/>. Everything it starts carries the user <c>Reactor</c>.
/// </summary>
public sealed class ReactionExecutor(
    MasterOptions options, JobDispatcher jobs, RunnerInvoker runners, ReactorWheel wheel, ReactorCaller caller) : IReactionExecutor
{
    public async Task<string> ExecuteAsync(ReactorAction action, CancellationToken cancellationToken)
    {
        switch (action.Kind)
        {
            case ReactionKind.Local:
                return Local(action);
            case ReactionKind.Runner:
                var outcome = await runners.RunAsync(action.Function, action.Args, action.Kwargs, ReactorEngine.User, cancellationToken).ConfigureAwait(false);
                return $"runner job {outcome.Jid}";
            case ReactionKind.Wheel:
                return $"wheel job {wheel.Run(action.Function, action.Args, action.Kwargs)}";
            default:
                return await caller.RunAsync(action.Function, action.Args, action.Kwargs, cancellationToken).ConfigureAwait(false);
        }
    }

    private string Local(ReactorAction action)
    {
        var job = new JobPublish
        {
            Jid = jobs.NewJid(),
            Function = action.Function,
            Args = action.Args,
            Kwargs = action.Kwargs,
            Target = action.Target ?? throw new InvalidOperationException("a local action needs a target"),
            TargetType = action.TargetType,
            User = ReactorEngine.User,
            Timeout = action.Timeout ?? options.Timeout,
        };
        var expected = jobs.ExpectedMinions(job.Target, job.TargetType);
        if (expected.Count == 0)
        {
            // Salt's master refuses a publish that resolves to no minion; say so rather than publish to nobody.
            throw new InvalidOperationException($"no accepted minion matches {job.TargetType} target '{job.Target}'");
        }
        jobs.Publish(job, expected);
        return $"job {job.Jid} to {expected.Count} minion(s)";
    }
}
