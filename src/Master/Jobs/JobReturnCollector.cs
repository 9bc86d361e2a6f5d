using System.Runtime.CompilerServices;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Jobs;

/// <summary>
/// Publishes a job and follows its returns as Salt's LocalClient does: each targeted minion once; when the job's timeout
/// passes, <c>saltutil.find_job</c> asks those still pending whether they still run it, and the wait goes on for those
/// that say so. Minions known to be down get the job but are not waited for. The CLI's publish and orchestration's
/// <c>salt.state</c>/<c>salt.function</c> both follow jobs through here.
/// </summary>
public sealed class JobReturnCollector(MasterOptions options, JobDispatcher jobs, EventBus events, MinionDirectory minions, TimeProvider time)
{
    /// <summary>Publishes <paramref name="job"/> to <paramref name="expected"/>; stop enumerating after Started to not wait.</summary>
    public async IAsyncEnumerable<JobProgress> PublishAsync(
        JobPublish job, IReadOnlyList<string> expected, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before publishing, so no return can slip past between the two.
        using var subscription = events.Subscribe(tag => tag.StartsWith(EventTag.JobReturnPrefix(job.Jid), StringComparison.Ordinal));
        jobs.Publish(job, expected);
        yield return new JobProgress(JobProgressKind.Started) { Minions = expected };
        var now = time.GetUtcNow();
        var notConnected = expected.Where(id => !minions.IsUp(id, now, options.PresenceTimeout)).ToList();
        var pending = new HashSet<string>(expected.Except(notConnected), StringComparer.Ordinal);
        var returned = new HashSet<string>(StringComparer.Ordinal);
        var gaveUp = new List<string>();
        var wait = TimeSpan.FromSeconds(Math.Max(job.Timeout, 1));
        var window = System.Diagnostics.Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            var e = await NextAsync(subscription, wait - window.Elapsed, cancellationToken).ConfigureAwait(false);
            if (e is not null)
            {
                var id = e.Data.GetValueOrDefault("id") as string ?? "";
                // Each minion once; one thought down may still answer (it came back within the timeout).
                if (returned.Add(id) && (pending.Remove(id) || notConnected.Contains(id) || gaveUp.Contains(id)))
                {
                    gaveUp.Remove(id);
                    yield return new JobProgress(JobProgressKind.Returned) { MinionId = id, Data = e.Data };
                }
                continue;
            }
            // The timeout passed: wait on (a new window) for those that still run it; the silent ones did not return.
            var running = await FindRunningAsync(job, pending, cancellationToken).ConfigureAwait(false);
            gaveUp.AddRange(pending.Where(id => !running.Contains(id)));
            pending.IntersectWith(running);
            window.Restart();
            if (pending.Count > 0)
            {
                yield return new JobProgress(JobProgressKind.StillRunning) { Minions = pending.Order(StringComparer.Ordinal).ToList() };
            }
        }
        yield return new JobProgress(JobProgressKind.Ended)
        {
            Missing = gaveUp.Order(StringComparer.Ordinal).ToList(),
            NotConnected = notConnected.Where(id => !returned.Contains(id)).Order(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>The next return event, or null when <paramref name="remaining"/> passes first.</summary>
    private static async Task<MasterEvent?> NextAsync(EventSubscription subscription, TimeSpan remaining, CancellationToken cancellationToken)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(remaining);
        try
        {
            return await subscription.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Publishes Salt's <c>saltutil.find_job</c> for <paramref name="job"/> to <paramref name="targets"/> and returns those
    /// that answer within <c>gather_job_timeout</c> that they still run it.
    /// </summary>
    private async Task<HashSet<string>> FindRunningAsync(JobPublish job, IReadOnlyCollection<string> targets, CancellationToken cancellationToken)
    {
        var running = new HashSet<string>(StringComparer.Ordinal);
        var find = new JobPublish
        {
            Jid = jobs.NewJid(),
            Function = "saltutil.find_job",
            Args = [job.Jid],
            Target = string.Join(",", targets),
            TargetType = "list",
            User = job.User,
            Timeout = (int)options.GatherJobTimeout.TotalSeconds,
        };
        using var answers = events.Subscribe(tag => tag.StartsWith(EventTag.JobReturnPrefix(find.Jid), StringComparison.Ordinal));
        jobs.Publish(find, [.. targets]);
        using var gather = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        gather.CancelAfter(options.GatherJobTimeout);
        var heard = 0;
        try
        {
            while (heard < targets.Count)
            {
                var answer = await answers.Reader.ReadAsync(gather.Token).ConfigureAwait(false);
                heard++;
                if (answer.Data.GetValueOrDefault("return") is Dictionary<string, object?> { Count: > 0 }
                    && answer.Data.GetValueOrDefault("id") is string id)
                {
                    running.Add(id);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // gather_job_timeout passed: the silent ones are not counted as running.
        }
        return running;
    }
}
