namespace Orchestrator.Minion.Modules.Providers;

/// <summary>What a finished (or killed) process left behind.</summary>
/// <param name="Pid">The process id it ran as.</param>
/// <param name="ExitCode">The exit code; -1 when it was killed before exiting on its own.</param>
/// <param name="Stdout">Captured standard output (with standard error when it was merged).</param>
/// <param name="Stderr">Captured standard error.</param>
/// <param name="TimedOut">True when the request's timeout killed it.</param>
public sealed record ProcessResult(int Pid, int ExitCode, string Stdout, string Stderr, bool TimedOut = false);
