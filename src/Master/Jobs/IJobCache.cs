namespace Orchestrator.Master.Jobs;

/// <summary>The job cache: jobs, returns and minion presence; SQLite by default, a server store for larger installs.</summary>
public interface IJobCache : IDisposable
{
    void SaveJob(JobRecord job);

    /// <summary>
    /// Stores returns in one transaction (the return writer's batches); a repeated (jid, minion) replaces the earlier one,
    /// so re-delivery is harmless.
    /// </summary>
    void SaveReturns(IReadOnlyList<ReturnRecord> returns);

    JobRecord? GetJob(string jid);

    IReadOnlyList<ReturnRecord> GetReturns(string jid);

    /// <summary>Jobs still inside their timeout at <paramref name="now"/>, each with the minions whose returns are stored.</summary>
    IReadOnlyList<(JobRecord Job, IReadOnlyList<string> Returned)> UnexpiredJobs(DateTimeOffset now);

    IReadOnlyList<JobRecord> ListJobs(string? searchFunction = null, string? searchTarget = null, DateTimeOffset? since = null, int limit = 1000);

    /// <summary>Records many minions' last contact in one transaction (the presence flush).</summary>
    void TouchMinions(IReadOnlyCollection<(string Id, DateTimeOffset Seen)> seen);

    void SaveGrains(string id, Dictionary<string, object?> grains);

    IReadOnlyList<MinionRecord> ListMinions();

    void ForgetMinion(string id);

    /// <summary>Removes jobs (and their returns) started before <paramref name="cutoff"/>; returns how many.</summary>
    int Prune(DateTimeOffset cutoff);
}
