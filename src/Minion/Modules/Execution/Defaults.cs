using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>defaults</c> module: a formula's <c>defaults.yaml</c>/<c>defaults.json</c>, and deep merge and copy for templates.</summary>
[ExecutionModule("defaults")]
public sealed class DefaultsModule : IExecutionModule
{
    public DefaultsModule()
    {
        Functions =
        [
            new("deepcopy", "Return a deep copy of an object, so that changing the copy leaves the source as it was.\n\n" +
                "CLI Example: orch '*' defaults.deepcopy \"{a: [1, 2]}\"", [Req("source")], DeepCopy, SharesData: true),
            new("get", "Look a key up in a formula's defaults file: the first part of the key names the formula, and " +
                "salt://<formula>/defaults.yaml (else defaults.json) is read; the rest is traversed with ':'.\n\n" +
                "CLI Example: orch '*' defaults.get core:users:root", [Req("key"), Opt("default", "")], GetAsync),
            new("merge", "Deep-merge src into dest and return the result; with in_place=True (the default) dest itself is changed. " +
                "merge_lists=True joins lists instead of replacing them; convert_none=True treats None as an empty dict.\n\n" +
                "CLI Example: orch '*' defaults.merge '{a: b}' '{d: e}'",
                [Req("dest"), Req("src"), Opt("merge_lists", false), Opt("in_place", true), Opt("convert_none", true)], Merge, SharesData: true),
            new("update", "Set defaults for a group of data sets: every value of dest becomes defaults merged with that value " +
                "(merge_lists=True by default), in place unless in_place=False.\n\n" +
                "CLI Example: orch '*' defaults.update '{host01: {index: foo}}' '{enabled: True}'",
                [Req("dest"), Req("defaults"), Opt("merge_lists", true), Opt("in_place", true), Opt("convert_none", true)], Update, SharesData: true),
        ];
    }

    public string Doc => "Work with a formula's defaults files, and merge or copy data in templates.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static Task<object?> DeepCopy(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult(DictUpdate.DeepCopy(call["source"]));

    private static Task<object?> Merge(ModuleCall call, CancellationToken cancellationToken)
    {
        var (dest, src) = (call["dest"], call["src"]);
        if (call.GetBool("convert_none", true))
        {
            src ??= new Dictionary<string, object?>(StringComparer.Ordinal);
            if (dest is null && call.GetBool("in_place", true))
            {
                throw new ModuleException("defaults.merge: dest is None and in_place is True (there is nothing to merge into)");
            }
            dest ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        var merged = call.GetBool("in_place", true) ? dest : DictUpdate.DeepCopy(dest);
        return Task.FromResult<object?>(Run(() => DictUpdate.Update(merged, src, mergeLists: call.GetBool("merge_lists"))));
    }

    private static Task<object?> Update(ModuleCall call, CancellationToken cancellationToken)
    {
        var (dest, defaults) = (call["dest"], call["defaults"]);
        if (call.GetBool("convert_none", true))
        {
            defaults ??= new Dictionary<string, object?>(StringComparer.Ordinal);
            dest ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        var nodes = (call.GetBool("in_place", true) ? dest : DictUpdate.DeepCopy(dest)) as Dictionary<string, object?>
            ?? throw new ModuleException("defaults.update: dest must be a dict of data sets");
        var mergeLists = call.GetBool("merge_lists", true);
        foreach (var (name, vars) in nodes.ToList())
        {
            nodes[name] = Run(() => DictUpdate.Update(DictUpdate.DeepCopy(defaults), vars, mergeLists: mergeLists));
        }
        return Task.FromResult<object?>(nodes);
    }

    private static async Task<object?> GetAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var key = call.RequireString("key");
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var (formula, rest) = colon < 0 ? (key, null) : (key[..colon], key[(colon + 1)..]);
        var defaults = await LoadAsync(call.Context, formula, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(rest) ? defaults : SaltData.Traverse(defaults, rest, call["default"]);
    }

    /// <summary>The first of <c>defaults.yaml</c>, <c>defaults.json</c> the file server has for the formula, or null.</summary>
    private static async Task<object?> LoadAsync(ModuleContext context, string formula, CancellationToken cancellationToken)
    {
        if (context.Files is null)
        {
            return null;
        }
        foreach (var extension in new[] { "yaml", "json" })
        {
            var path = await context.Files.CacheFileAsync($"salt://{formula}/defaults.{extension}", "base", cancellationToken).ConfigureAwait(false);
            if (path is null || !File.Exists(path))
            {
                continue;
            }
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            var data = extension == "yaml" ? PyYaml.Load(text) : DataTree.FromJson(text);
            return DataTree.IsTruthy(data) ? data : new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        return null;
    }

    private static Dictionary<string, object?> Run(Func<Dictionary<string, object?>> merge)
    {
        try
        {
            return merge();
        }
        catch (ArgumentException e)
        {
            throw new ModuleException(e.Message);
        }
    }
}
