namespace Orchestrator.Shared.Output;

/// <summary>Options of <see cref="HighstateOutputter"/>, named as Salt's <c>state_output</c> and <c>state_verbose</c>.</summary>
/// <param name="StateOutput"><c>full</c> (default), <c>terse</c>, <c>mixed</c> (terse unless failed) or <c>changes</c> (full for changed or failed).</param>
/// <param name="StateVerbose">When false, states that succeeded without changes are not shown.</param>
/// <param name="Color">ANSI colours (green ok, cyan changed, red failed, yellow would change).</param>
public sealed record HighstateOutputOptions(string StateOutput = "full", bool StateVerbose = true, bool Color = true);
