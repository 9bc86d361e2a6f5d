namespace Orchestrator.Minion.Modules;

/// <summary>Calls execution module functions by their Salt name (<c>cmd.run</c>); what Jinja's <c>salt['x.y']</c> and states use.</summary>
public interface IModuleInvoker
{
    bool Exists(string function);

    Task<FunctionResult> InvokeAsync(
        string function,
        IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs,
        ModuleContext context,
        CancellationToken cancellationToken);
}
