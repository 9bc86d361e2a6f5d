using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Scheduling;

namespace Orchestrator.Master.Scheduling;

/// <summary>
/// The master's own <c>schedule:</c> (master config): runner functions (<c>jobs.list_jobs</c>, <c>manage.up</c>...) on the
/// same schedule semantics as the minion's, each run through <see cref="RunnerInvoker"/> so it gets a jid, its
/// <c>salt/run/&lt;jid&gt;/new</c> and <c>/ret</c> events, and its place in the job cache as any runner job.
/// </summary>
/// <remarks>A broken job is logged and left out; an evaluation or a run that fails is logged and the loop goes on.</remarks>
public sealed class MasterScheduleService(MasterOptions options, RunnerInvoker runners, TimeProvider time, ILogger<MasterScheduleService> logger)
    : BackgroundService
{
    private readonly ScheduleEngine _engine = new(time);
    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>The engine, for diagnostics and tests (next fire times).</summary>
    public ScheduleEngine Engine => _engine;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = DataTree.Normalize(options.Raw.GetValueOrDefault("schedule")) as Dictionary<string, object?>
            ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        if (schedule.Count == 0)
        {
            return;
        }
        var problems = _engine.Load(schedule);
        foreach (var problem in problems)
        {
            ScheduleLog.JobInvalid(logger, problem.Name, problem.Error);
        }
        ScheduleLog.Loaded(logger, _engine.JobNames.Count, problems.Count, _engine.Enabled ? "enabled" : "disabled");
        using var timer = new PeriodicTimer(_engine.LoopInterval, time);
        try
        {
            do
            {
                try
                {
                    Tick(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ScheduleLog.EvaluationFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Tick(CancellationToken stoppingToken)
    {
        var tick = _engine.Evaluate(name => _running.GetValueOrDefault(name));
        foreach (var problem in tick.Problems.Where(p => _reported.Add(p.Name + "\n" + p.Error)))
        {
            ScheduleLog.JobInvalid(logger, problem.Name, problem.Error);
        }
        foreach (var run in tick.Runs)
        {
            ScheduleLog.Running(logger, run.Name, run.Function);
            _running.AddOrUpdate(run.Name, 1, (_, n) => n + 1);
            _ = Task.Run(() => RunAsync(run, stoppingToken), stoppingToken);
        }
    }

    private async Task RunAsync(ScheduledRun run, CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await runners.RunAsync(run.Function, run.Args, run.Kwargs, user: "schedule", stoppingToken).ConfigureAwait(false);
            ScheduleLog.Ran(logger, run.Name, outcome.Jid, outcome.Retcode);
        }
        catch (Exception e)
        {
            // The invoker has already filed the failure under the run's jid.
            ScheduleLog.RunFailed(logger, e, run.Name);
        }
        finally
        {
            _running.AddOrUpdate(run.Name, 0, (_, n) => Math.Max(0, n - 1));
        }
    }
}
