namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Runs external processes for modules (<c>cmd.*</c>, service, pkg providers).</summary>
/// <remarks>
/// Implementations capture both output streams without deadlocking, write <see cref="ProcessRequest.Stdin"/>, honour the timeout by
/// killing the whole process tree (returning a result with <see cref="ProcessResult.TimedOut"/> set) and, when the token is cancelled,
/// kill the tree and throw <see cref="OperationCanceledException"/>. A missing executable is a <see cref="ModuleException"/>.
/// Tests replace this with a fake.
/// </remarks>
public interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken);
}
