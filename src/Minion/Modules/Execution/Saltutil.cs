namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The <c>saltutil</c> module: this minion's running jobs, and refreshing its grains and pillar.</summary>
[ExecutionModule("saltutil")]
public sealed class SaltutilModule : IExecutionModule
{
    public string Doc => "Jobs running on this minion, and refreshing its grains and pillar.";

    public IReadOnlyList<ModuleFunction> Functions =>
    [
        new("running", "Return the jobs running on this minion.\n\nCLI Example: orch '*' saltutil.running", [], Running),
        new("find_job", "Return the data of a running job by jid, or an empty dict.\n\nCLI Example: orch '*' saltutil.find_job <jid>",
            [FunctionParameter.Req("jid")], FindJob),
        new("kill_job", "Cancel a running job by jid.\n\nCLI Example: orch '*' saltutil.kill_job <jid>",
            [FunctionParameter.Req("jid")], KillJob),
        new("refresh_grains", "Collect this minion's grains again (as at start-up, with saved and configured grains on top) and, unless " +
            "refresh_pillar=False, fetch its pillar again, since the pillar may depend on them. Returns True.\n\n" +
            "CLI Example: orch '*' saltutil.refresh_grains", [FunctionParameter.Opt("refresh_pillar", true)], RefreshGrains),
        new("refresh_pillar", "Fetch this minion's pillar from the master again.\n\nCLI Example: orch '*' saltutil.refresh_pillar",
            [], RefreshPillar),
    ];

    private static IRunningJobs Jobs(ModuleCall call) =>
        call.Context.Jobs ?? throw new ModuleException("no job tracker on this minion");

    private static Task<object?> Running(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Jobs(call).Snapshot().Where(j => j["jid"] as string != call.Context.Jid).Cast<object?>().ToList());

    private static Task<object?> FindJob(ModuleCall call, CancellationToken cancellationToken)
    {
        var jid = call.RequireString("jid");
        return Task.FromResult<object?>(
            Jobs(call).Snapshot().FirstOrDefault(j => j["jid"] as string == jid) ?? new Dictionary<string, object?>());
    }

    private static Task<object?> KillJob(ModuleCall call, CancellationToken cancellationToken)
    {
        var jid = call.RequireString("jid");
        if (!Jobs(call).Kill(jid))
        {
            throw new ModuleException($"no running job with jid {jid}");
        }
        return Task.FromResult<object?>(new Dictionary<string, object?> { [jid] = "Signal 15 sent: job cancelled" });
    }

    private static async Task<object?> RefreshGrains(ModuleCall call, CancellationToken cancellationToken)
    {
        var source = call.Context.GrainsSource ?? throw new ModuleException("grains cannot be collected again here");
        call.Context.ReplaceGrains(await source(cancellationToken).ConfigureAwait(false));
        if (call.GetBool("refresh_pillar") && call.Context.PillarSource is not null)
        {
            await RefreshPillar(call, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static async Task<object?> RefreshPillar(ModuleCall call, CancellationToken cancellationToken)
    {
        var source = call.Context.PillarSource ?? throw new ModuleException("no pillar source configured");
        call.Context.ReplacePillar(await source.GetPillarAsync("base", cancellationToken).ConfigureAwait(false));
        return true;
    }
}
