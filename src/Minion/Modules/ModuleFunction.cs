namespace Orchestrator.Minion.Modules;

/// <summary>One function of an execution module.</summary>
/// <param name="Name">The function name after the dot (<c>run</c> in <c>cmd.run</c>).</param>
/// <param name="Doc">Documentation shown by <c>sys.doc</c>; the first line is a summary.</param>
/// <param name="Parameters">Declared parameters; positional args bind in this order, kwargs by name.</param>
/// <param name="Handler">The implementation.</param>
/// <param name="AcceptsExtraArgs">When true, unknown kwargs and surplus positional args are allowed (Salt's *args/**kwargs).</param>
/// <param name="SharesData">When true, mappings and lists reach the handler as the caller's own objects, and come back the same
/// way, instead of as normalized copies: Python passes them by reference, and Jinja callers rely on functions such as
/// <c>defaults.merge</c> or <c>slsutil.update</c> changing their first argument in place.</param>
public sealed record ModuleFunction(
    string Name,
    string Doc,
    IReadOnlyList<FunctionParameter> Parameters,
    ModuleHandler Handler,
    bool AcceptsExtraArgs = false,
    bool SharesData = false);
