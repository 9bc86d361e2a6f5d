namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>What a requisite does, whatever its <c>_any</c>/<c>_all</c> form.</summary>
public enum RequisiteFamily
{
    Require,
    Watch,
    Prereq,

    /// <summary>The reverse edge <c>prereq</c> leaves on its target at compile time.</summary>
    Prerequired,
    Onfail,
    Onchanges,
    Listen,
    Use,

    /// <summary>Salt's <c>onfail_stop</c>: a keyword the state system keeps from the function, with no edge of its own.</summary>
    OnfailStop,
}
