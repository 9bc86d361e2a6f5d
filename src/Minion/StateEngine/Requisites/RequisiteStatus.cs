namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>What a state's requisites, taken together, decide about it (Salt's <c>check_requisite</c> status).</summary>
public enum RequisiteStatus
{
    /// <summary>Nothing stands in the way: run the state.</summary>
    Met,

    /// <summary>A target has not run yet (or does not exist): run the targets first.</summary>
    Unmet,

    /// <summary>A target failed: do not run; "One or more requisite failed".</summary>
    Fail,

    /// <summary>The prereq'd targets would change nothing: do not run; "No changes detected".</summary>
    Pre,

    /// <summary>No onfail target failed: do not run.</summary>
    OnFail,

    /// <summary>No onchanges target changed: do not run.</summary>
    OnChanges,

    /// <summary>A watched target changed: run, then <c>mod_watch</c> when the run itself changed nothing.</summary>
    Change,
}
