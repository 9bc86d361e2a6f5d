using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>config</c> module: one lookup across the minion's options, grains and pillar.</summary>
[ExecutionModule("config")]
public sealed class ConfigModule : IExecutionModule
{
    public ConfigModule()
    {
        Functions =
        [
            new("get", "Look a key up in the minion config, then grains, then pillar (the master's config comes via pillar['master']); " +
                "nested keys use the delimiter (default ':'). With merge='recurse' or 'overwrite', dict values from all sources are merged.\n\n" +
                "CLI Example: orch '*' config.get pkg:apache",
                [Req("key"), Opt("default", ""), Opt("delimiter", ":"), Opt("merge"), Opt("omit_opts", false), Opt("omit_pillar", false),
                 Opt("omit_master", false), Opt("omit_grains", false)], Get),
            new("items", "Return the minion's configuration (opts).\n\nCLI Example: orch '*' config.items", [], Items),
            new("option", "Return a value from the minion config only, or default.\n\nCLI Example: orch '*' config.option cachedir",
                [Req("value"), Opt("default", ""), Opt("omit_opts", false), Opt("omit_master", false), Opt("omit_pillar", false)], Option),
        ];
    }

    public string Doc => "Return config information: options, then grains, then pillar, as Salt's config.get does.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static Task<object?> Items(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult(DataTree.Normalize(call.Context.Opts));

    private static Task<object?> Option(ModuleCall call, CancellationToken cancellationToken)
    {
        var key = call.RequireString("value");
        var context = call.Context;
        object? found = null;
        if (!call.GetBool("omit_opts"))
        {
            found = context.Opts.TryGetValue(key, out var direct) ? DataTree.Normalize(direct) : ModuleContext.Traverse(context.Opts, key);
        }
        if (found is null && !call.GetBool("omit_master"))
        {
            found = ModuleContext.Traverse(context.Pillar.GetValueOrDefault("master"), key);
        }
        if (found is null && !call.GetBool("omit_pillar"))
        {
            found = ModuleContext.Traverse(context.Pillar, key);
        }
        return Task.FromResult(found ?? call["default"]);
    }

    private static Task<object?> Get(ModuleCall call, CancellationToken cancellationToken)
    {
        var key = call.RequireString("key");
        var delimiter = call.GetString("delimiter") is { Length: > 0 } d ? d[0] : ':';
        var context = call.Context;
        var sources = new List<object?>();
        if (!call.GetBool("omit_opts"))
        {
            // An opts key may itself contain the delimiter (e.g. "mine_functions:x" is rare, "file_roots" common); try it whole first.
            sources.Add(context.Opts.TryGetValue(key, out var direct) ? DataTree.Normalize(direct) : ModuleContext.Traverse(context.Opts, key, delimiter));
        }
        if (!call.GetBool("omit_master"))
        {
            sources.Add(ModuleContext.Traverse(context.Pillar.GetValueOrDefault("master"), key, delimiter));
        }
        if (!call.GetBool("omit_grains"))
        {
            sources.Add(ModuleContext.Traverse(context.Grains, key, delimiter));
        }
        if (!call.GetBool("omit_pillar"))
        {
            sources.Add(ModuleContext.Traverse(context.Pillar, key, delimiter));
        }

        var merge = call.GetString("merge");
        if (merge is "recurse" or "overwrite")
        {
            Dictionary<string, object?>? merged = null;
            // Lowest precedence first so higher ones overwrite.
            foreach (var value in Enumerable.Reverse(sources).OfType<Dictionary<string, object?>>())
            {
                merged = merged is null ? value : Merge(merged, value, recurse: merge == "recurse");
            }
            if (merged is not null)
            {
                return Task.FromResult<object?>(merged);
            }
        }
        else if (merge is not null)
        {
            throw new ModuleException($"config.get: unsupported merge strategy '{merge}' (use 'recurse' or 'overwrite')");
        }
        return Task.FromResult(sources.FirstOrDefault(v => v is not null) ?? call["default"]);
    }

    private static Dictionary<string, object?> Merge(Dictionary<string, object?> lower, Dictionary<string, object?> higher, bool recurse)
    {
        var result = new Dictionary<string, object?>(lower, StringComparer.Ordinal);
        foreach (var (key, value) in higher)
        {
            result[key] = recurse && result.GetValueOrDefault(key) is Dictionary<string, object?> left && value is Dictionary<string, object?> right
                ? Merge(left, right, recurse)
                : value;
        }
        return result;
    }
}
