namespace Orchestrator.Master.Reactor;

/// <summary>Runs one reactor action; the seam between the engine's queueing and the master's clients.</summary>
public interface IReactionExecutor
{
    /// <summary>Runs the action and says briefly what it did (for the log); throws when it failed.</summary>
    Task<string> ExecuteAsync(ReactorAction action, CancellationToken cancellationToken);
}
