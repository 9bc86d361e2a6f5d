namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>How a requisite with several targets combines them.</summary>
public enum RequisiteMatch
{
    /// <summary>The plain form: every target counts (plain <c>onfail</c> is the exception Salt makes: any failure).</summary>
    Each,

    /// <summary>The <c>_any</c> form: one target is enough.</summary>
    Any,

    /// <summary>The <c>_all</c> form (only <c>onfail_all</c>): every target must fail.</summary>
    All,
}
