namespace Orchestrator.Minion.Modules;

/// <summary>The outcome of one module call as it goes back to the master.</summary>
public sealed record FunctionResult(object? Return, int Retcode, bool Success)
{
    /// <summary>True when the function did not run to a return (bad arguments, an exception): where Salt's function raises,
    /// which a Jinja caller sees as a render error rather than as a value.</summary>
    public bool Raised { get; init; }

    /// <summary>An error with additional info (Salt's CommandExecutionError with <c>info</c>): salt-call prints it on stderr.</summary>
    public bool ReportedOnStderr { get; init; }

    public static FunctionResult Error(string message) => new(message, 1, false) { Raised = true };

    /// <summary>The failed call of <paramref name="e"/>.</summary>
    public static FunctionResult Error(ModuleException e) => Error(e.Message) with { ReportedOnStderr = e.Info is not null };
}
