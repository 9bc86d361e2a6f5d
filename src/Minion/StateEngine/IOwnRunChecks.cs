namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// Marks a state module that evaluates <c>unless</c>, <c>onlyif</c> and <c>creates</c> itself (Salt's <c>mod_run_check</c>,
/// as the <c>cmd</c> states do), so the runner passes them through instead of checking them first.
/// </summary>
public interface IOwnRunChecks;
