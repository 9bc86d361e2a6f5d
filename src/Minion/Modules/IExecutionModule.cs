namespace Orchestrator.Minion.Modules;

/// <summary>
/// An execution module: a named table of functions callable as <c>module.function</c>.
/// </summary>
/// <remarks>
/// The module name comes from <see cref="ExecutionModuleAttribute"/>. Functions are declared explicitly so that arguments are
/// bound and validated before the handler runs, and so <c>sys.doc</c> can describe them without calling anything.
/// </remarks>
public interface IExecutionModule
{
    /// <summary>One-line description of the module, shown by <c>sys.doc</c>.</summary>
    string Doc { get; }

    IReadOnlyList<ModuleFunction> Functions { get; }
}
