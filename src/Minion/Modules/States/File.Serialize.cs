using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Output;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>file.serialize</c>: a data set written as YAML or JSON, then managed as file.managed manages contents.</summary>
public sealed partial class FileState
{
    private static readonly string[] _managedPassThrough = ["user", "group", "mode", "backup", "makedirs", "show_changes"];

    private static string? Serialize(string serializer, object? data, Dictionary<string, object?> options) => serializer switch
    {
        "yaml" => new YamlOutputter().Format(data, OutputOptions.Default with { Static = true }).TrimEnd('\n'),
        "json" => PythonJson.Dumps(data, sortKeys: DataTree.IsTruthy(options.GetValueOrDefault("sort_keys", true)),
            indent: options.GetValueOrDefault("indent", 2L) is long indent ? (int)indent : null),
        _ => null,
    };

    private static object? Deserialize(string serializer, string text) => serializer switch
    {
        "yaml" => YamlLoader.Load(text),
        _ => DataTree.FromJson(text),
    };

    private static async Task<StateReturn> SerializeAsync(StateCall c, CancellationToken cancellationToken)
    {
        var name = ExpandUser(c.Name);
        var ret = new StateReturn { Name = name, Result = true, Comment = string.Empty };
        if (string.IsNullOrEmpty(name))
        {
            return StateReturn.Fail(name, "Must provide name to file.serialize");
        }
        if (!c.GetBool("create", true) && !System.IO.File.Exists(name))
        {
            ret.Comment = $"File {name} is not present and is not set for creation";
            return ret;
        }
        if (c.Has("serializer") && c.Has("formatter"))
        {
            return StateReturn.Fail(name, "Only one of serializer and formatter are allowed");
        }
        var serializer = (c.GetString("serializer") ?? c.GetString("formatter") ?? "yaml").ToLowerInvariant();
        if (DataTree.IsTruthy(c["dataset"]) && DataTree.IsTruthy(c["dataset_pillar"]))
        {
            return StateReturn.Fail(name, "Only one of 'dataset' and 'dataset_pillar' is permitted");
        }
        var dataset = c["dataset"];
        if (DataTree.IsTruthy(c["dataset_pillar"]))
        {
            dataset = Orchestrator.Minion.Modules.ModuleContext.Traverse(c.Context.Pillar, c.GetString("dataset_pillar")!);
        }
        if (dataset is null)
        {
            return StateReturn.Fail(name, "Neither 'dataset' nor 'dataset_pillar' was defined");
        }
        var options = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var item in c["serializer_opts"] switch { List<object?> l => l, Dictionary<string, object?> d => [d], _ => [] })
        {
            foreach (var (k, v) in item as Dictionary<string, object?> ?? [])
            {
                options[k] = v;
            }
        }
        if (Serialize(serializer, new Dictionary<string, object?>(), options) is null)
        {
            return StateReturn.Fail(name, $"The {serializer} serializer could not be found. It either does not exist or its prerequisites are not installed.");
        }
        Dictionary<string, object?>? existing = null;
        Dictionary<string, object?>? merged = null;
        if (c.GetBool("merge_if_exists") && System.IO.File.Exists(name))
        {
            object? current;
            try
            {
                current = Deserialize(serializer, await System.IO.File.ReadAllTextAsync(name, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return StateReturn.Fail(name, $"Failed to deserialize existing data: {e.Message}");
            }
            if (current is not null)
            {
                var mergedData = MergeRecurse(current, dataset);
                if (DataTree.ToJson(mergedData, indent: false) == DataTree.ToJson(current, indent: false))
                {
                    ret.Comment = $"The file {name} is in the correct state";
                    return ret;
                }
                existing = current as Dictionary<string, object?>;
                merged = mergedData as Dictionary<string, object?>;
                dataset = mergedData;
            }
        }
        var contents = Serialize(serializer, dataset, options) + "\n";
        var args = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name, ["contents"] = contents };
        foreach (var key in _managedPassThrough.Where(c.Has))
        {
            args[key] = c[key];
        }
        var managed = await ManagedAsync(new StateCall
        {
            Name = name, State = c.State, Function = "managed", Args = args, Test = c.Test, Context = c.Context, Saltenv = c.Saltenv,
            Low = c.Low, Running = c.Running, Renderer = null,
        }, cancellationToken).ConfigureAwait(false);
        if (c.Test && managed.Result is not false)
        {
            managed.Comment = managed.Changes.Count > 0 ? $"Dataset will be serialized and stored into {name}" : $"The file {name} is in the correct state";
            if (managed.Changes.Count > 0 && !c.GetBool("show_changes", true))
            {
                managed.Changes["diff"] = "<show_changes=False>";
            }
        }
        if (existing is not null && merged is not null)
        {
            managed.Changes["diff"] = RecursiveDiff(existing, merged);
        }
        return managed;
    }

    /// <summary>Salt's <c>dictupdate.merge_recurse</c>: mappings merged key by key, anything else replaced.</summary>
    private static object? MergeRecurse(object? current, object? update)
    {
        if (current is not Dictionary<string, object?> a || update is not Dictionary<string, object?> b)
        {
            return update;
        }
        var result = new Dictionary<string, object?>(a, StringComparer.Ordinal);
        foreach (var (k, v) in b)
        {
            result[k] = result.TryGetValue(k, out var old) ? MergeRecurse(old, v) : v;
        }
        return result;
    }

    /// <summary>Salt's <c>dictdiffer.recursive_diff(...).diffs</c>: {key: {old, new}}, nested for mappings.</summary>
    private static Dictionary<string, object?> RecursiveDiff(Dictionary<string, object?> past, Dictionary<string, object?> present)
    {
        var diffs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in past.Keys.Union(present.Keys))
        {
            var inPast = past.TryGetValue(key, out var old);
            var inPresent = present.TryGetValue(key, out var now);
            if (inPast && inPresent && old is Dictionary<string, object?> o && now is Dictionary<string, object?> n)
            {
                var inner = RecursiveDiff(o, n);
                if (inner.Count > 0)
                {
                    diffs[key] = inner;
                }
            }
            else if (!inPast || !inPresent || DataTree.ToJson(old, indent: false) != DataTree.ToJson(now, indent: false))
            {
                diffs[key] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["old"] = inPast ? old : "", ["new"] = inPresent ? now : "" };
            }
        }
        return diffs;
    }
}
