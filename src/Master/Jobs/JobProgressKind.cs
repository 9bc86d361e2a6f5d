namespace Orchestrator.Master.Jobs;

public enum JobProgressKind
{
    /// <summary>The job was published.</summary>
    Started,

    /// <summary>A minion returned.</summary>
    Returned,

    /// <summary>The timeout passed and these minions say they still run the job (<see cref="JobProgress.Minions"/>).</summary>
    StillRunning,

    /// <summary>Nothing more will come.</summary>
    Ended,
}
