using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>
/// The comment of a state whose execution function raised, in the shape Salt prints it ("An exception occurred in this
/// state: Traceback ...", ending with the exception's type and message), so that a Salt user's tooling reads the same last line.
/// </summary>
internal static class SaltExceptionText
{
    public static string Comment(string message, string type = "salt.exceptions.CommandExecutionError") =>
        $"An exception occurred in this state: Traceback (most recent call last):\n{type}: {message}\n";

    /// <summary>Wraps a state handler so a failed execution call becomes a failed state with Salt's exception comment.</summary>
    public static Func<StateCall, CancellationToken, Task<StateReturn>> Guard(Func<StateCall, CancellationToken, Task<StateReturn>> handler) =>
        async (call, cancellationToken) =>
        {
            try
            {
                return await handler(call, cancellationToken).ConfigureAwait(false);
            }
            catch (StateCallException e)
            {
                return StateReturn.Fail(call.Name, Comment(e.Message));
            }
        };
}
