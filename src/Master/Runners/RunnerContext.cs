using Orchestrator.Master.Hosting;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Transport;

namespace Orchestrator.Master.Runners;

/// <summary>What runner functions may use on the master.</summary>
public sealed record RunnerContext(
    IJobCache Cache, MinionDirectory Minions, JobDispatcher Jobs, KeyStore Keys, RequestProcessor Requests, MasterOptions Options, MasterMetrics Metrics, TimeProvider Time);
