using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Reactor;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Orchestration;

/// <summary>
/// What the <c>salt.*</c> orchestration states do on the master: publish a job (whole, or in batches) and gather every
/// targeted minion's return; run a runner or a wheel function; watch the event bus.
/// </summary>
public sealed class OrchestrationBackend(
    MasterOptions options, JobDispatcher jobs, JobReturnCollector collector, EventBus events, IServiceProvider services)
{
    /// <summary>Salt's text for a minion that did not answer.</summary>
    public const string NoResponse = "Minion did not return. [No response]";

    /// <summary>
    /// Runs <paramref name="function"/> on the minions <paramref name="target"/> matches and returns each one's answer, in
    /// target order; <paramref name="batch"/> (<c>2</c> or <c>25%</c>) runs it on that many at a time, batch after batch.
    /// </summary>
    public async Task<Dictionary<string, MinionReturn>> RunJobAsync(
        string target, string targetType, string function, List<object?> args, Dictionary<string, object?> kwargs, int? timeout,
        string? batch, string user, CancellationToken cancellationToken)
    {
        var expected = jobs.ExpectedMinions(target, targetType);
        var returns = new Dictionary<string, MinionReturn>(StringComparer.Ordinal);
        foreach (var group in Batches(expected, batch))
        {
            var job = new JobPublish
            {
                Jid = jobs.NewJid(),
                Function = function,
                Args = args,
                Kwargs = kwargs,
                Target = string.Join(",", group),
                TargetType = "list",
                User = user,
                Timeout = timeout ?? options.Timeout,
            };
            await foreach (var progress in collector.PublishAsync(job, group, cancellationToken).ConfigureAwait(false))
            {
                if (progress.Kind == JobProgressKind.Returned)
                {
                    var data = progress.Data;
                    returns[progress.MinionId] = new MinionReturn(
                        job.Jid, data.GetValueOrDefault("return"), data.GetValueOrDefault("retcode") as long? ?? 0, false, data.GetValueOrDefault("out") as string);
                }
                else if (progress.Kind == JobProgressKind.Ended)
                {
                    foreach (var silent in progress.Missing.Concat(progress.NotConnected))
                    {
                        returns[silent] = new MinionReturn(job.Jid, NoResponse, 1, true, null);
                    }
                }
            }
        }
        // In target order, whatever order the minions answered in.
        return expected.Where(returns.ContainsKey).ToDictionary(id => id, id => returns[id], StringComparer.Ordinal);
    }

    /// <summary>Salt's batch sizes: a count, or a percentage of the targeted minions (at least one).</summary>
    public static IEnumerable<IReadOnlyList<string>> Batches(IReadOnlyList<string> minions, string? batch)
    {
        if (minions.Count == 0)
        {
            yield break;
        }
        var size = minions.Count;
        if (!string.IsNullOrWhiteSpace(batch))
        {
            var text = batch.Trim();
            size = text.EndsWith('%')
                ? (int)Math.Max(1, Math.Floor(minions.Count * double.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100))
                : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            if (size < 1)
            {
                throw new ArgumentException($"Invalid batch data sent: {batch}");
            }
        }
        for (var i = 0; i < minions.Count; i += size)
        {
            yield return minions.Skip(i).Take(size).ToList();
        }
    }

    public Task<RunnerOutcome> RunRunnerAsync(
        string function, List<object?> args, Dictionary<string, object?> kwargs, string user, CancellationToken cancellationToken) =>
        Resolve<RunnerInvoker>().RunAsync(function, args, kwargs, user, cancellationToken);

    public WheelOutcome RunWheel(string function, List<object?> args, Dictionary<string, object?> kwargs, string user) =>
        Resolve<ReactorWheel>().Call(function, args, kwargs, user);

    /// <summary>Subscribes to the master's bus (before anything is started that could fire what is waited for).</summary>
    public EventSubscription Subscribe(Func<string, bool> filter) => events.Subscribe(filter);

    // The runner invoker runs orchestrations, which use this backend: resolved late to not make a construction cycle.
    private T Resolve<T>() where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not available"));
}
