using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The <c>pillar</c> module: this minion's pillar, compiled on the master and sealed to this minion only.</summary>
[ExecutionModule("pillar")]
public sealed class PillarModule : IExecutionModule
{
    public string Doc => "Read this minion's pillar data.";

    public IReadOnlyList<ModuleFunction> Functions =>
    [
        new("items", "Return all of this minion's pillar data.\n\nCLI Example: orch '*' pillar.items", [], Items),
        new("get", "Return a pillar value by key, with a:b:c traversal (or another delimiter) and a default ('' unless given). " +
            "With merge=True and a dict (or list) default, the pillar value is merged over a copy of the default; " +
            "merge_nested_lists (default: the pillar_merge_lists option) merges lists inside it too.\n\n" +
            "CLI Example: orch '*' pillar.get pkg:apache\norch '*' pillar.get abc::def|ghi delimiter='|'",
            [FunctionParameter.Req("key"), FunctionParameter.Opt("default", ""), FunctionParameter.Opt("merge", false),
             FunctionParameter.Opt("merge_nested_lists"), FunctionParameter.Opt("delimiter", ":"), FunctionParameter.Opt("pillarenv"),
             FunctionParameter.Opt("saltenv")], Get),
        new("item", "Return the named pillar keys as a mapping.\n\nCLI Example: orch '*' pillar.item web users",
            [], Item, AcceptsExtraArgs: true),
        new("ls", "Return the top-level pillar keys.\n\nCLI Example: orch '*' pillar.ls", [], Ls),
    ];

    private static Task<object?> Items(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(call.Context.Pillar);

    private static async Task<object?> Get(ModuleCall call, CancellationToken cancellationToken)
    {
        var key = call.RequireString("key");
        var delimiter = call.GetString("delimiter") is { Length: > 0 } d ? d : ":";
        var pillar = call.Context.Pillar;
        // With an environment named, Salt compiles a fresh pillar for it instead of reading the one in memory.
        if ((call.GetString("pillarenv") ?? call.GetString("saltenv")) is { } env && call.Context.PillarSource is { } source)
        {
            pillar = await source.GetPillarAsync(env, cancellationToken).ConfigureAwait(false);
        }
        var fallback = call["default"];
        if (call.GetBool("merge"))
        {
            var mergeLists = call.Has("merge_nested_lists")
                ? call.GetBool("merge_nested_lists")
                : call.Context.Opt("pillar_merge_lists") is true;
            switch (fallback)
            {
                // Salt merges the pillar value over a deep copy of the default; on a type mismatch it logs and skips the merge.
                case Dictionary<string, object?> defaults when SaltData.Traverse(pillar, key, new Dictionary<string, object?>(), delimiter)
                    is Dictionary<string, object?> found:
                    return DictUpdate.Update(DictUpdate.DeepCopy(defaults), DictUpdate.DeepCopy(found), mergeLists: mergeLists);
                case List<object?> defaultList when SaltData.Traverse(pillar, key, new List<object?>(), delimiter) is List<object?> foundList:
                    var merged = (List<object?>)DictUpdate.DeepCopy(defaultList)!;
                    merged.AddRange(foundList.Where(item => !merged.Any(existing => DictUpdate.PyEquals(existing, item))).ToList());
                    return merged;
            }
        }
        return SaltData.Traverse(pillar, key, fallback, delimiter);
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
