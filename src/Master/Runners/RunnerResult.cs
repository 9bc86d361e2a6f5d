namespace Orchestrator.Master.Runners;

/// <summary>
/// A runner's value with a non-zero retcode: what it found is printed, and the command still fails (e.g. reactor.test on a
/// reactor that does not render).
/// </summary>
public sealed record RunnerResult(object? Value, int Retcode);
