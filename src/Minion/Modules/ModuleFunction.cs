namespace Orchestrator.Minion.Modules;

/// <summary>One function of an execution module.</summary>
/// <param name="Name">The function name after the dot (<c>run</c> in <c>cmd.run</c>).</param>
/// <param name="Doc">Documentation shown by <c>sys.doc</c>; the first line is a summary.</param>
/// <param name="Parameters">Declared parameters; positional args bind in this order, kwargs by name.</param>
/// <param name="Handler">The implementation.</param>
/// <param name="AcceptsExtraArgs">When true, unknown kwargs and surplus positional args are allowed (Salt's *args/**kwargs).</param>
/// <param name="Outputter">
/// The outputter the function's returns print with unless the user picks one (Salt's <c>__outputter__</c>): <c>highstate</c>
/// for state runs, <c>doc</c> for <c>sys.doc</c>; null for nested. It travels with each return as its <c>out</c>, so
/// <c>orch</c>, <c>orch call</c> and <c>jobs.lookup_jid</c> print alike.
/// </param>
/// <param name="SharesData">When true, mappings and lists reach the handler as the caller's own objects, and come back the same
/// way, instead of as normalized copies: Python passes them by reference, and Jinja callers rely on functions such as
/// <c>defaults.merge</c> or <c>slsutil.update</c> changing their first argument in place.</param>
public sealed record ModuleFunction(
    string Name,
    string Doc,
    IReadOnlyList<FunctionParameter> Parameters,
    ModuleHandler Handler,
    bool AcceptsExtraArgs = false,
    string? Outputter = null,
    bool SharesData = false)
{
    /// <summary>
    /// The outputter for one return of this function: a function printing state runs gets <c>highstate</c> only when it
    /// returned state results (a mapping); its list of render errors prints as data. Likewise <c>doc</c> only for docs (a
    /// mapping): the doc outputter prints mappings only, and a failure's message must not vanish.
    /// </summary>
    public string OutputterFor(object? value) => Outputter switch
    {
        "highstate" or "doc" when value is not Dictionary<string, object?> => "",
        null => "",
        var name => name,
    };
}
