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
            new("get", "Look a key up in the minion config, then grains, then pillar, then the master's config (pillar['master']), then " +
                "Salt's built-in defaults; nested keys use the delimiter (default ':'). With merge='recurse' or 'overwrite', all of them " +
                "are merged (options over grains over pillar over master over defaults) before the look-up.\n\n" +
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
        var delimiter = call.GetString("delimiter") is { Length: > 0 } d ? d : ":";
        var context = call.Context;
        var master = context.Pillar.GetValueOrDefault("master") ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        var merge = call.GetString("merge");
        if (merge is null)
        {
            // Salt's order: minion options, grains, pillar, the master's config (pillar['master']), then its built-in defaults.
            var sources = new List<object?>();
            if (!call.GetBool("omit_opts"))
            {
                sources.Add(context.Opts);
            }
            if (!call.GetBool("omit_grains"))
            {
                sources.Add(context.Grains);
            }
            if (!call.GetBool("omit_pillar"))
            {
                sources.Add(context.Pillar);
            }
            if (!call.GetBool("omit_master"))
            {
                sources.Add(master);
            }
            sources.Add(ConfigDefaults.Values);
            foreach (var source in sources)
            {
                var found = SaltData.Traverse(source, key, Missing, delimiter);
                if (!ReferenceEquals(found, Missing))
                {
                    return Task.FromResult(found);
                }
            }
            return Task.FromResult(call["default"]);
        }
        if (merge is not ("recurse" or "overwrite"))
        {
            // Salt logs "Unsupported merge strategy" and falls back to recurse.
            merge = "recurse";
        }
        // Lowest precedence first, each later one merged over: defaults, master, pillar, grains, opts (omit_* do not apply).
        object? data = new Dictionary<string, object?>(ConfigDefaults.Values, StringComparer.Ordinal);
        foreach (var layer in new object?[] { master, context.Pillar, context.Grains, context.Opts })
        {
            data = DictUpdate.Merge(data, DictUpdate.DeepCopy(layer), merge);
        }
        var merged = SaltData.Traverse(data, key, Missing, delimiter);
        return Task.FromResult(ReferenceEquals(merged, Missing) ? call["default"] : merged);
    }

    private static readonly object Missing = new();
}
