using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Transport;

namespace Orchestrator.Master.Runners;

/// <summary>
/// What runner functions may use on the master. <see cref="Services"/> resolves the parts that themselves run runners (the
/// reactor), which would otherwise make a cycle.
/// </summary>
public sealed record RunnerContext(
    IJobCache Cache, MinionDirectory Minions, JobDispatcher Jobs, KeyStore Keys, RequestProcessor Requests, MasterOptions Options,
    MasterMetrics Metrics, EventBus Events, IServiceProvider Services, TimeProvider Time)
{
    /// <summary>The jid the runner call runs under (set by <see cref="RunnerInvoker"/>; null outside a call).</summary>
    public string? Jid { get; init; }

    /// <summary>Who called the runner (the CLI user, <c>Reactor</c>, ...).</summary>
    public string User { get; init; } = "root";
}
