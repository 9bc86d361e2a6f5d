using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>grains</c> module: read the minion's grains and set custom ones, saved to <c>&lt;CacheDir&gt;/grains</c>.</summary>
[ExecutionModule("grains")]
public sealed class GrainsModule : IExecutionModule
{
    public GrainsModule()
    {
        Functions =
        [
            new("append", "Append a value to a list grain (created if missing) and save it; with convert=True a scalar grain becomes a list.\n\n" +
                "CLI Example: orch '*' grains.append key val", [Req("key"), Req("val"), Opt("convert", false), Opt("delimiter", ":")],
                Append),
            new("delkey", "Remove a grain completely, from memory and from the grains file.\n\nCLI Example: orch '*' grains.delkey key",
                [Req("key"), Opt("force", false)], DelKey),
            new("delval", "Set a grain's value to None; with destructive=True remove the key entirely.\n\n" +
                "CLI Example: orch '*' grains.delval key", [Req("key"), Opt("destructive", false), Opt("refresh", true)], DelVal),
            new("equals", "Return True if the grain (nested keys allowed) equals the given value.\n\n" +
                "CLI Example: orch '*' grains.equals fqdn <expected_fqdn>", [Req("key"), Req("value")], EqualsFn),
            new("fetch", "Same as grains.get: a grain by key, with nested traversal and a default.\n\nCLI Example: orch '*' grains.fetch pkg:apache",
                [Req("key"), Opt("default", ""), Opt("delimiter", ":"), Opt("ordered", true)], Get),
            new("filter_by", "Return the value of lookup_dict whose key (a glob) matches the grain (default os_family; nested keys with ':'; " +
                "for a list grain, its first item that matches), else lookup_dict[default]; lookup_dict[base] is merged under it and " +
                "merge (a dict) over it.\n\nCLI Example: orch '*' grains.filter_by '{Debian: Debheads rule, RedHat: I love my hat}'\n" +
                "orch '*' grains.filter_by '{A: B, C: {D: {E: F, G: H}}}' 'xxx' '{D: {E: I, J: K}}' 'C'",
                [Req("lookup_dict"), Opt("grain", "os_family"), Opt("merge"), Opt("default", "default"), Opt("base")], FilterBy, SharesData: true),
            new("get", "Return a grain by key, traversing nested data with the delimiter (default ':'), or default when absent.\n\n" +
                "CLI Example: orch '*' grains.get pkg:apache", [Req("key"), Opt("default", ""), Opt("delimiter", ":"), Opt("ordered", true)],
                Get),
            new("has_value", "Return True if the grain (nested keys allowed) exists and is truthy.\n\nCLI Example: orch '*' grains.has_value pkg:apache",
                [Req("key")], HasValue),
            new("item", "Return one or more grains as {key: value}; missing keys give the default ('').\n\n" +
                "CLI Example: orch '*' grains.item os osrelease oscodename", [], Item, AcceptsExtraArgs: true),
            new("items", "Return all of the minion's grains.\n\nCLI Example: orch '*' grains.items", [Opt("sanitize", false)], Items),
            new("ls", "Return a sorted list of all grain names.\n\nCLI Example: orch '*' grains.ls", [], Ls),
            new("remove", "Remove a value from a list grain and save it.\n\nCLI Example: orch '*' grains.remove key val",
                [Req("key"), Req("val"), Opt("delimiter", ":")], Remove),
            new("setval", "Set a grain to a value (any data) and save it to the grains file; returns {key: value}.\n\n" +
                "CLI Example: orch '*' grains.setval key val\norch '*' grains.setval key \"{'sub-key': 'val', 'sub-key2': 'val2'}\"",
                [Req("key"), Req("val"), Opt("destructive", false), Opt("refresh", true)], SetVal),
            new("setvals", "Set several grains from a dict and save them; returns the dict.\n\n" +
                "CLI Example: orch '*' grains.setvals \"{'key1': 'val1', 'key2': 'val2'}\"",
                [Req("grains"), Opt("destructive", false), Opt("refresh", true)], SetVals),
        ];
    }

    public string Doc => "Return and set the minion's grains; values set here persist across restarts in the minion's grains file.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static Task<object?> Items(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult(DataTree.Normalize(call.Context.Grains));

    private static Task<object?> Ls(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(call.Context.Grains.Keys.Order(StringComparer.Ordinal).Cast<object?>().ToList());

    private static Task<object?> Get(ModuleCall call, CancellationToken cancellationToken)
    {
        var delimiter = call.GetString("delimiter") is { Length: > 0 } d ? d : ":";
        // A grain that is there with the value None gives None, not the default (traverse_dict_and_list).
        return Task.FromResult(SaltData.Traverse(call.Context.Grains, call.RequireString("key"), call["default"], delimiter));
    }

    private static Task<object?> FilterBy(ModuleCall call, CancellationToken cancellationToken)
    {
        var lookup = call.GetMap("lookup_dict") ?? throw new ModuleException("grains.filter_by: 'lookup_dict' must be a dict");
        try
        {
            return Task.FromResult(SaltData.FilterBy(
                lookup, call.GetString("grain") ?? "os_family", call.Context.Grains, call["merge"], call.GetString("default"), call.GetString("base")));
        }
        catch (ArgumentException e)
        {
            throw new ModuleException(e.Message);
        }
    }

    private static Task<object?> EqualsFn(ModuleCall call, CancellationToken cancellationToken)
    {
        var actual = ModuleContext.Traverse(call.Context.Grains, call.RequireString("key"));
        var expected = call["value"];
        // CLI values arrive as text; compare a string against the grain's printed form too (systemd:version 219).
        var equal = Equals(actual, expected)
            || (expected is string text && actual is long or double or bool && Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture) == text);
        return Task.FromResult<object?>(equal);
    }

    private static Task<object?> HasValue(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(DataTree.IsTruthy(ModuleContext.Traverse(call.Context.Grains, call.RequireString("key"))));

    private static Task<object?> Item(ModuleCall call, CancellationToken cancellationToken)
    {
        var defaultValue = call.ExtraKwargs.GetValueOrDefault("default", "");
        var delimiter = call.ExtraKwargs.GetValueOrDefault("delimiter") is string { Length: 1 } d ? d[0] : ':';
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var arg in call.ExtraArgs)
        {
            var key = arg as string ?? DataTree.KeyToString(arg);
            result[key] = ModuleContext.Traverse(call.Context.Grains, key, delimiter) ?? defaultValue;
        }
        return Task.FromResult<object?>(result);
    }

    private static Task<object?> SetVal(ModuleCall call, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal) { [call.RequireString("key")] = call["val"] };
        return Task.FromResult<object?>(Save(call, changes, call.GetBool("destructive")));
    }

    private static Task<object?> SetVals(ModuleCall call, CancellationToken cancellationToken)
    {
        var changes = call.GetMap("grains") ?? throw new ModuleException("grains.setvals: 'grains' must be a dict");
        return Task.FromResult<object?>(Save(call, changes, call.GetBool("destructive")));
    }

    private static Task<object?> DelVal(ModuleCall call, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal) { [call.RequireString("key")] = null };
        return Task.FromResult<object?>(Save(call, changes, call.GetBool("destructive")));
    }

    private static Task<object?> DelKey(ModuleCall call, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal) { [call.RequireString("key")] = null };
        return Task.FromResult<object?>(Save(call, changes, destructive: true));
    }

    private static Task<object?> Append(ModuleCall call, CancellationToken cancellationToken)
    {
        var key = call.RequireString("key");
        var val = call["val"];
        var current = ModuleContext.Traverse(call.Context.Grains, key, Delimiter(call));
        List<object?> list;
        switch (current)
        {
            case null:
                list = [];
                break;
            case List<object?> existing:
                list = existing;
                break;
            default:
                if (!call.GetBool("convert"))
                {
                    return Task.FromResult<object?>($"The key {key} is not a valid list");
                }
                list = [current];
                break;
        }
        var additions = val is List<object?> many ? many : [val];
        foreach (var item in additions)
        {
            if (list.Any(existing => Equals(existing, item)))
            {
                return Task.FromResult<object?>($"The val {DataTree.ToJson(item, indent: false)} was already in the list {key}");
            }
            list.Add(item);
        }
        return Task.FromResult<object?>(SaveNested(call, key, list));
    }

    private static Task<object?> Remove(ModuleCall call, CancellationToken cancellationToken)
    {
        var key = call.RequireString("key");
        var current = ModuleContext.Traverse(call.Context.Grains, key, Delimiter(call));
        if (current is not List<object?> list)
        {
            return Task.FromResult<object?>($"The key {key} is not a valid list");
        }
        if (list.RemoveAll(item => Equals(item, call["val"])) == 0)
        {
            return Task.FromResult<object?>($"The val {call.GetString("val")} was not in the list {key}");
        }
        return Task.FromResult<object?>(SaveNested(call, key, list));
    }

    /// <summary>Sets <c>a:b:c</c> by rebuilding the top-level grain <c>a</c>, which is what gets saved.</summary>
    private static Dictionary<string, object?> SaveNested(ModuleCall call, string key, List<object?> value)
    {
        var parts = key.Split(Delimiter(call));
        if (parts.Length == 1)
        {
            return Save(call, new Dictionary<string, object?> { [key] = value }, destructive: false);
        }
        var top = DataTree.Normalize(call.Context.Grains.GetValueOrDefault(parts[0])) as Dictionary<string, object?>
            ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        var node = top;
        foreach (var part in parts[1..^1])
        {
            if (node.GetValueOrDefault(part) is not Dictionary<string, object?> child)
            {
                child = new Dictionary<string, object?>(StringComparer.Ordinal);
                node[part] = child;
            }
            node = child;
        }
        node[parts[^1]] = value;
        Save(call, new Dictionary<string, object?> { [parts[0]] = top }, destructive: false);
        return new Dictionary<string, object?> { [key] = value };
    }

    private static Dictionary<string, object?> Save(ModuleCall call, IReadOnlyDictionary<string, object?> changes, bool destructive)
    {
        var grains = call.Context.Grains;
        var applied = new Dictionary<string, object?>(StringComparer.Ordinal);
        lock (grains)
        {
            foreach (var (key, raw) in changes)
            {
                var value = DataTree.Normalize(raw);
                if (value is null && destructive)
                {
                    grains.Remove(key);
                }
                else
                {
                    grains[key] = value;
                }
                applied[key] = value;
            }
        }
        GrainsFile.Update(call.Context.CacheDir, applied, removeNulls: destructive);
        return applied;
    }

    private static char Delimiter(ModuleCall call) =>
        call.GetString("delimiter") is { Length: > 0 } d ? d[0] : ':';
}
