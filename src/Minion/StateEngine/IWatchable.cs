namespace Orchestrator.Minion.StateEngine;

/// <summary>Capability of a state module that has Salt's <c>mod_watch</c>: what to do when a watched state changed.</summary>
public interface IWatchable
{
    /// <summary>Runs the watch reaction; <see cref="StateCall.Sfun"/> names the function the state declared.</summary>
    Task<StateReturn> ModWatchAsync(StateCall call, CancellationToken cancellationToken);
}
