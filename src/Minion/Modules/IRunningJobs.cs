namespace Orchestrator.Minion.Modules;

/// <summary>The jobs this minion is running now, for <c>saltutil.running/find_job/kill_job</c>.</summary>
public interface IRunningJobs
{
    IReadOnlyList<Dictionary<string, object?>> Snapshot();

    bool Kill(string jid);
}
