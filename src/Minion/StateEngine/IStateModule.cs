namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// A state module: a named table of state functions (<c>file.managed</c>, <c>cmd.run</c>) that bring the host into a state.
/// </summary>
/// <remarks>
/// Functions receive a resolved <see cref="StateCall"/>, honour <see cref="StateCall.Test"/>, and return
/// <see cref="StateReturn"/> (result, changes, comment). Requisites never reach a module: the runner resolves them. A module
/// that can react to watched changes also implements <see cref="IWatchable"/>.
/// </remarks>
public interface IStateModule
{
    string Doc { get; }

    IReadOnlyList<StateFunction> Functions { get; }
}
