using Orchestrator.Master.Jobs;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Scheduling;

/// <summary>
/// Files a minion's scheduled run, which no publish announced, as a job of that minion alone (Salt's master stores such a
/// return under a job it makes for it: target the minion id, type glob), so <c>jobs.list_jobs</c> and <c>jobs.lookup_jid</c>
/// show it like any other.
/// </summary>
public static class ScheduledReturns
{
    /// <summary>
    /// Saves the job record of a scheduled return whose jid the master does not know yet. A jid already in use by another job
    /// is left alone, so the return is then refused as untargeted: a minion cannot answer someone else's job this way.
    /// </summary>
    public static void Register(IJobCache cache, JobDispatcher jobs, string minionId, JobReturn ret)
    {
        if (ret.Schedule.Length == 0 || !IsJid(ret.Jid) || jobs.IsActive(ret.Jid) || cache.GetJob(ret.Jid) is not null)
        {
            return;
        }
        cache.SaveJob(new JobRecord(
            ret.Jid, ret.Function, WireCodec.ToList(ret.Args), WireCodec.ToMap(ret.Kwargs), minionId, "glob", "root", DateTimeOffset.FromUnixTimeMilliseconds(ret.StartedAt), 0, [minionId]));
    }

    /// <summary>Salt's <c>fun_args</c> of a scheduled return: the args, then the kwargs as one mapping when there are any.</summary>
    public static List<object?> FunArgs(JobReturn ret)
    {
        var list = WireCodec.ToList(ret.Args);
        if (ret.Kwargs.Count > 0)
        {
            list.Add(WireCodec.ToMap(ret.Kwargs));
        }
        return list;
    }

    private static bool IsJid(string jid) => jid.Length == 20 && jid.All(char.IsAsciiDigit);
}
