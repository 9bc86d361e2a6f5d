namespace Orchestrator.Bench.Soak;

/// <summary>
/// The accounting of every (job, targeted minion) pair at one moment. Real minions: stored, still pending (younger than
/// <see cref="SoakOptions.SettleAfter"/>), killed mid-job (started, and its minion SIGKILLed before the return was saved:
/// legitimately none), or lost (everything else; the goal is 0). cmd.run jobs also count how often they ran.
/// </summary>
public sealed class AuditResult
{
    public Dictionary<JobKind, int> JobsByKind { get; } = [];

    public long Expected { get; set; }
    public long Stored { get; set; }
    public long Pending { get; set; }
    public long KilledMidJob { get; set; }
    public long Lost { get; set; }

    /// <summary>cmd.run pairs whose token is in the minion's runs file exactly once / twice or more / not at all despite a return.</summary>
    public long RanOnce { get; set; }
    public long RanTwice { get; set; }
    public long ReturnedWithoutRunning { get; set; }

    /// <summary>Stored returns with success false (a job error, not a lost return).</summary>
    public long Failed { get; set; }

    public long SwarmExpected { get; set; }
    public long SwarmStored { get; set; }
    public long SwarmPending { get; set; }
    public long SwarmLost { get; set; }

    /// <summary>Publishes that got no jid back and are not in the job cache either: nothing was published, nothing is expected.</summary>
    public int PublishesFailed { get; set; }

    /// <summary>Publishes that got no jid back but are in the job cache (found by their token): accounted like the others.</summary>
    public int PublishesFoundByToken { get; set; }

    /// <summary>Whether the job cache could be read; when not, the figures are those of <see cref="Error"/>'s moment.</summary>
    public string? Error { get; set; }

    public List<string> LostDetails { get; } = [];
    public List<string> KilledDetails { get; } = [];
    public List<string> TwiceDetails { get; } = [];
    public List<string> FailedDetails { get; } = [];
    public Dictionary<string, int> LostReasons { get; } = new(StringComparer.Ordinal);

    public int Jobs(params JobKind[] kinds) => kinds.Sum(k => JobsByKind.GetValueOrDefault(k));
}
