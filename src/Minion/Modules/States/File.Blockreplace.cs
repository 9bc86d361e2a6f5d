using Orchestrator.Minion.StateEngine.Requisites;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>file.blockreplace</c> and <c>file.accumulated</c> (and the table of the file states kept outside File.cs).</summary>
public sealed partial class FileState
{
    private static readonly StateFunction[] EditFunctions =
    [
        new("accumulated", [FunctionParameter.Req("name"), FunctionParameter.Req("filename"), FunctionParameter.Req("text")],
            (c, _) => Task.FromResult(Accumulated(c)),
            "Prepare accumulator which can be used in template in file.managed state. Accumulator dictionary becomes available " +
            "in template. It can also be used in file.blockreplace.\n\nname: accumulator name; filename: the file which would " +
            "receive this accumulator (the name of the file.managed or file.blockreplace state); text: a string or a list to add " +
            "to the accumulator; require_in / watch_in: one of them is required, naming the state that consumes it, so the " +
            "accumulator is filled before that file is managed. The template sees accumulator[name] as a list of the texts."),
        new("blockreplace", [FunctionParameter.Req("name")], BlockreplaceAsync,
            "Maintain an edit in a file in a zone delimited by two line markers.\n\nname: the file; marker_start and marker_end: " +
            "the lines that delimit the block (default '#-- start managed zone --' and '#-- end managed zone --'), kept as they " +
            "are; content: the block's text (accumulators required into this state are added to it); source / sources: templates " +
            "(template, default jinja, with defaults and context) whose rendered text is added; append_if_not_found, " +
            "prepend_if_not_found, insert_before_match, insert_after_match: where to add the block when the markers are not " +
            "found (otherwise that fails); backup: the suffix of the backup copy (default .bak, False for none); show_changes; " +
            "append_newline. Test mode reports the diff without writing."),
        new("keyvalue", [FunctionParameter.Req("name")], (c, _) => Task.FromResult(Keyvalue(c)),
            "Key/Value based editing of a file.\n\nname: the file; key and value, or key_values (a mapping); separator (default " +
            "'='); append_if_not_found / prepend_if_not_found: add missing keys at the end or start; uncomment: comment characters " +
            "stripped from a matching commented line; count: how many occurrences to set (default 1; 0 for all, -1 to remove all " +
            "but ... as Salt counts); key_ignore_case, value_ignore_case; show_changes; ignore_if_missing. Test mode reports " +
            "the predicted diff."),
        new("serialize", [FunctionParameter.Req("name")], SerializeAsync,
            "Serializes dataset and store it into managed file. Useful for sharing simple configuration files.\n\nname: the file; " +
            "dataset, or dataset_pillar (a pillar key), not both; serializer (or formatter): yaml (default) or json; " +
            "serializer_opts: options of the serializer (json: indent, sort_keys); merge_if_exists: merge the dataset into the " +
            "data already in the file; user, group, mode, backup, makedirs, show_changes, create (default True: False leaves a " +
            "missing file alone). Test mode reports whether the file would change."),
    ];

    private static string ExpandUser(string path) =>
        path.StartsWith('~') ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..] : path;

    /// <summary>Salt's <c>_check_file</c>.</summary>
    private static string? CheckFile(string name) =>
        !Path.IsPathRooted(name) ? $"Specified file {name} is not an absolute path"
        : !System.IO.File.Exists(name) && !System.IO.Directory.Exists(name) ? $"{name}: file not found" : null;

    private static StateReturn Accumulated(StateCall c)
    {
        if (string.IsNullOrEmpty(c.Name))
        {
            return StateReturn.Fail(c.Name, "Must provide name to file.accumulated");
        }
        if (c["text"] is not { } text)
        {
            return StateReturn.Fail(c.Name, "No text supplied for accumulator");
        }
        var deps = new List<object?>();
        foreach (var key in new[] { RequisiteKind.Require.InName!, RequisiteKind.Watch.InName! })
        {
            switch (c.Low.GetValueOrDefault(key))
            {
                case List<object?> list:
                    deps.AddRange(list);
                    break;
                case { } single:
                    deps.Add(single);
                    break;
            }
        }
        // Salt's test is `"file" in x`: a key of a mapping, or a substring of a plain string.
        if (!deps.Any(d => d is Dictionary<string, object?> m ? m.ContainsKey("file") : PyText.Str(d).Contains("file", StringComparison.Ordinal)))
        {
            return StateReturn.Fail(c.Name, $"Orphaned accumulator {c.Name} in {PyText.Str(c.Low.GetValueOrDefault("__sls__"))}:{PyText.Str(c.Low.GetValueOrDefault("__id__"))}");
        }
        var filename = c.GetString("filename")!;
        var store = FileAccumulators.Of(c);
        var data = store.Data.TryGetValue(filename, out var d1) ? d1 : store.Data[filename] = new(StringComparer.Ordinal);
        var depMap = store.Deps.TryGetValue(filename, out var d2) ? d2 : store.Deps[filename] = new(StringComparer.Ordinal);
        var targets = depMap.TryGetValue(c.Name, out var t) ? t : depMap[c.Name] = [];
        foreach (var dep in deps)
        {
            if (dep is Dictionary<string, object?> map)
            {
                targets.AddRange(map.Values.Select(PyText.Str));
            }
            else
            {
                // Salt extends the list with the string itself, one character at a time.
                targets.AddRange(PyText.Str(dep).Select(ch => ch.ToString()));
            }
        }
        var texts = data.TryGetValue(c.Name, out var existing) ? existing : data[c.Name] = [];
        var ret = StateReturn.Ok(c.Name, string.Empty);
        foreach (var chunk in text is List<object?> list ? list : [text])
        {
            if (!texts.Any(x => DataTree.ToJson(x, indent: false) == DataTree.ToJson(chunk, indent: false)))
            {
                texts.Add(chunk);
                ret.Comment = $"Accumulator {c.Name} for file {filename} was charged by text";
            }
        }
        return ret;
    }

    private static async Task<StateReturn> BlockreplaceAsync(StateCall c, CancellationToken cancellationToken)
    {
        var name = ExpandUser(c.Name);
        var ret = new StateReturn { Name = name, Result = false, Comment = string.Empty };
        if (string.IsNullOrEmpty(name))
        {
            return StateReturn.Fail(name, "Must provide name to file.blockreplace");
        }
        var sources = c.GetList("sources") ?? [];
        if (c.Has("source") && sources.Count > 0)
        {
            return StateReturn.Fail(name, "source and sources are mutually exclusive");
        }
        if (c.Has("source_hash") && c.Has("source_hashes"))
        {
            return StateReturn.Fail(name, "source_hash and source_hashes are mutually exclusive");
        }
        if (c.Has("source"))
        {
            sources = [c["source"]];
        }
        if (CheckFile(name) is { } bad)
        {
            return StateReturn.Fail(name, bad);
        }
        var content = c["content"] is { } given ? PyText.Str(given) : string.Empty;
        var store = FileAccumulators.Of(c);
        if (store.Data.TryGetValue(name, out var accumulator))
        {
            var deps = store.Deps.GetValueOrDefault(name) ?? [];
            var id = PyText.Str(c.Low.GetValueOrDefault("__id__"));
            var filtered = deps.Where(p => p.Value.Contains(id) && accumulator.ContainsKey(p.Key)).Select(p => p.Key).ToList();
            if (filtered.Count == 0)
            {
                filtered = [.. accumulator.Keys];
            }
            foreach (var line in filtered.SelectMany(a => accumulator[a]))
            {
                content = content.Length == 0 ? PyText.Str(line) : content + "\n" + PyText.Str(line);
            }
        }
        foreach (var source in sources.Select(PyText.Str))
        {
            var rendered = await RenderSourceAsync(c, source, cancellationToken).ConfigureAwait(false);
            if (rendered.Error is { } error)
            {
                return StateReturn.Fail(source, error);
            }
            content += rendered.Text;
        }
        string diff;
        try
        {
            diff = Execution.BlockReplace.Run(name, c.GetString("marker_start") ?? "#-- start managed zone --", c.GetString("marker_end") ?? "#-- end managed zone --",
                new Execution.BlockReplaceOptions(
                    content,
                    c.GetBool("append_if_not_found"),
                    c.GetBool("prepend_if_not_found"),
                    c.GetString("insert_before_match"),
                    c.GetString("insert_after_match"),
                    c["backup"] is false ? null : c.GetString("backup") ?? ".bak",
                    c.Test,
                    c["append_newline"] is null ? null : c.GetBool("append_newline")));
        }
        catch (Exception e) when (e is ModuleException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            ret.Comment = $"Encountered error managing block: {e.Message}. See the log for details.";
            return ret;
        }
        if (diff.Length > 0)
        {
            ret.Changes["diff"] = c.GetBool("show_changes", true) ? diff : true;
            ret.Result = c.Test ? null : true;
            ret.Comment = c.Test ? "Changes would be made" : "Changes were made";
        }
        else
        {
            ret.Result = true;
            ret.Comment = "No changes needed to be made";
        }
        return ret;
    }

    /// <summary>Salt's <c>_get_template_texts</c> for one source: fetched, rendered with the state's template engine.</summary>
    private static async Task<(string Text, string? Error)> RenderSourceAsync(StateCall c, string source, CancellationToken cancellationToken)
    {
        var local = await FetchAsync(c, source, cancellationToken).ConfigureAwait(false);
        if (local is null)
        {
            return (string.Empty, $"Failed to load template file {source}");
        }
        var text = await System.IO.File.ReadAllTextAsync(local, cancellationToken).ConfigureAwait(false);
        var template = c.GetString("template") ?? "jinja";
        if (template.Length > 0)
        {
            var context = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in (c.GetMap("defaults") ?? []).Concat(c.GetMap("context") ?? []))
            {
                context[k] = v;
            }
            context["pillar"] = c.Context.Pillar;
            context["grains"] = c.Context.Grains;
            context["opts"] = c.Context.Opts;
            context["saltenv"] = c.Saltenv;
            context["__module_context__"] = c.Context;
            try
            {
                text = (c.Renderer ?? IdentityTemplateRenderer.Instance).Render(text, source, context);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (string.Empty, $"Failed to load template file {source}: {e.Message}");
            }
        }
        return text.Length == 0 ? (string.Empty, $"Failed to read rendered template file {local} ({source})") : (text, null);
    }
}
