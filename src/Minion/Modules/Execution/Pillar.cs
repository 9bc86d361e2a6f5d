namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The <c>pillar</c> module: this minion's pillar, compiled on the master and sealed to this minion only.</summary>
[ExecutionModule("pillar")]
public sealed class PillarModule : IExecutionModule
{
    public string Doc => "Read this minion's pillar data.";

    public IReadOnlyList<ModuleFunction> Functions =>
    [
        new("items", "Return all of this minion's pillar data.\n\nCLI Example: orch '*' pillar.items", [], Items),
        new("get", "Return a pillar value by key, with a:b:c traversal and a default.\n\nCLI Example: orch '*' pillar.get web:port 80",
            [FunctionParameter.Req("key"), FunctionParameter.Opt("default", ""), FunctionParameter.Opt("delimiter", ":")], Get),
        new("item", "Return the named pillar keys as a mapping.\n\nCLI Example: orch '*' pillar.item web users",
            [], Item, AcceptsExtraArgs: true),
        new("ls", "Return the top-level pillar keys.\n\nCLI Example: orch '*' pillar.ls", [], Ls),
    ];

    private static Task<object?> Items(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(call.Context.Pillar);

    private static Task<object?> Get(ModuleCall call, CancellationToken cancellationToken)
    {
        var delimiter = call.GetString("delimiter") is { Length: 1 } d ? d[0] : ':';
        var value = ModuleContext.Traverse(call.Context.Pillar, call.RequireString("key"), delimiter);
        return Task.FromResult(value ?? call["default"]);
    }

    private static Task<object?> Item(ModuleCall call, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in call.ExtraArgs.Select(a => a?.ToString() ?? ""))
        {
            result[key] = ModuleContext.Traverse(call.Context.Pillar, key);
        }
        return Task.FromResult<object?>(result);
    }

    private static Task<object?> Ls(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(call.Context.Pillar.Keys.Order(StringComparer.Ordinal).Cast<object?>().ToList());
}
