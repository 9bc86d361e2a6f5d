namespace Orchestrator.Master.Reactor;

/// <summary>
/// What one reactor SLS file gave for one event: its actions, or the errors that kept it from giving any, and warnings
/// about arguments it ignored.
/// </summary>
public sealed record ReactionFile(
    string File, IReadOnlyList<ReactorAction> Actions, IReadOnlyList<ReactorError> Errors, IReadOnlyList<string> Warnings)
{
    public static ReactionFile Failed(ReactorError error) => new(error.File, [], [error], []);
}
