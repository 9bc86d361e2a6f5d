namespace Orchestrator.Minion.Modules;

/// <summary>The outcome of one module call as it goes back to the master.</summary>
public sealed record FunctionResult(object? Return, int Retcode, bool Success)
{
    /// <summary>True when the function did not run to a return (bad arguments, an exception): where Salt's function raises,
    /// which a Jinja caller sees as a render error rather than as a value.</summary>
    public bool Raised { get; init; }

    public static FunctionResult Error(string message) => new(message, 1, false) { Raised = true };
}
