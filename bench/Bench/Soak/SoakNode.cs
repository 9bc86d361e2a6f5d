namespace Orchestrator.Bench.Soak;

/// <summary>A real orch-minion of the soak: its daemon and the files the audit reads.</summary>
public sealed record SoakNode(string Id, Daemon Daemon, string Directory, string RunsFile)
{
    /// <summary>The jids it has started (src/Minion/Jobs/JidJournal.cs), one a line.</summary>
    public string JournalPath => Path.Combine(Directory, "cache", "jid_journal");

    /// <summary>Returns saved but not yet acknowledged by the master, one <c>&lt;jid&gt;.ret</c> file each.</summary>
    public string OutboxDirectory => Path.Combine(Directory, "cache", "outbox");
}
