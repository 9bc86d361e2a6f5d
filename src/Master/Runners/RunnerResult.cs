namespace Orchestrator.Master.Runners;

/// <summary>
/// A runner's value with what plain data cannot say: a non-zero retcode (what it found is printed, and the command still
/// fails, e.g. reactor.test on a reactor that does not render), or the outputter the value prints with (Salt's
/// <c>outputter</c> of a runner return, e.g. <c>highstate</c> for <c>jobs.lookup_jid</c> of a state run).
/// </summary>
public sealed record RunnerResult(object? Value, int Retcode, string? Outputter = null);
