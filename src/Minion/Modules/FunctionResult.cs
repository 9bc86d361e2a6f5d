namespace Orchestrator.Minion.Modules;

/// <summary>The outcome of one module call as it goes back to the master.</summary>
public sealed record FunctionResult(object? Return, int Retcode, bool Success)
{
    public static FunctionResult Error(string message) => new(message, 1, false);
}
