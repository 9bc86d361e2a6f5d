namespace Orchestrator.Bench.Soak;

/// <summary>Everything the soak did, for the audit and the report: jobs published, chaos actions, minion kills, findings.</summary>
public sealed class SoakLedger
{
    private readonly Lock _lock = new();
    private readonly List<SoakJob> _jobs = [];
    private readonly List<ChaosRecord> _actions = [];
    private readonly List<(string Minion, DateTime At)> _kills = [];
    private readonly List<string> _findings = [];
    private int _seq;

    public SoakJob NewJob(JobKind kind, string function)
    {
        lock (_lock)
        {
            var seq = ++_seq;
            var job = new SoakJob { Seq = seq, Token = $"soak-{seq:D6}", Kind = kind, Function = function, PublishedAt = DateTime.UtcNow };
            _jobs.Add(job);
            return job;
        }
    }

    public IReadOnlyList<SoakJob> Jobs()
    {
        lock (_lock)
        {
            return [.. _jobs];
        }
    }

    public void Action(ChaosRecord record)
    {
        lock (_lock)
        {
            _actions.Add(record);
        }
    }

    public IReadOnlyList<ChaosRecord> Actions()
    {
        lock (_lock)
        {
            return [.. _actions];
        }
    }

    public string? LastAction()
    {
        lock (_lock)
        {
            return _actions.Count > 0 ? _actions[^1].Action : null;
        }
    }

    /// <summary>A real minion was killed with SIGKILL at <paramref name="at"/>: jobs it was running may have no return.</summary>
    public void Killed(string minion, DateTime at)
    {
        lock (_lock)
        {
            _kills.Add((minion, at));
        }
    }

    /// <summary>Whether <paramref name="minion"/> was SIGKILLed between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public bool KilledBetween(string minion, DateTime from, DateTime to)
    {
        lock (_lock)
        {
            return _kills.Any(k => k.Minion == minion && k.At >= from && k.At <= to);
        }
    }

    /// <summary>Something wrong that is not a job's return: a daemon that did not stop, did not come back, exited unclean.</summary>
    public void Finding(string text)
    {
        lock (_lock)
        {
            _findings.Add($"{DateTime.UtcNow:HH:mm:ss} {text}");
        }
    }

    public IReadOnlyList<string> Findings()
    {
        lock (_lock)
        {
            return [.. _findings];
        }
    }
}
