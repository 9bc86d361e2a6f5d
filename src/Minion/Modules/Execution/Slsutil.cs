using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>slsutil</c> module: merging, serializing and rendering helpers for SLS files and templates.</summary>
[ExecutionModule("slsutil")]
public sealed class SlsutilModule : IExecutionModule
{
    private readonly Func<ModuleContext, ISlsTemplateRenderer>? _rendererFactory;
    private readonly ILogger _logger;

    /// <param name="rendererFactory">Builds the Jinja renderer (with <c>salt</c>) for <c>slsutil.renderer</c>; without it only
    /// non-Jinja pipes render.</param>
    /// <param name="logger">Where Salt's warnings about merge strategies go.</param>
    public SlsutilModule(Func<ModuleContext, ISlsTemplateRenderer>? rendererFactory = null, ILogger? logger = null)
    {
        _rendererFactory = rendererFactory;
        _logger = logger ?? NullLogger.Instance;
        Functions =
        [
            new("banner", "Create a standardized comment block to include in a templated file (width 72, commentchar '#', " +
                "borderchar '#', blockstart, blockend, title, text, newline).\n\nCLI Example: orch '*' slsutil.banner title='Copyright 2019' width=60",
                [Opt("width", 72L), Opt("commentchar", "#"), Opt("borderchar", "#"), Opt("blockstart"), Opt("blockend"), Opt("title"),
                 Opt("text"), Opt("newline", false)], Banner),
            new("boolstr", "Convert a boolean value into a string: true (default 'true') when value is truthy, else false ('false').\n\n" +
                "CLI Example: orch '*' slsutil.boolstr True yes no", [Req("value"), Opt("true", "true"), Opt("false", "false")], BoolStr),
            new("deserialize", "Deserialize a string with one of Salt's serializers (yaml, json).\n\n" +
                "CLI Example: orch '*' slsutil.deserialize 'json' '{\"foo\": \"Foo!\"}'", [Req("serializer"), Req("stream_or_string")],
                Deserialize, AcceptsExtraArgs: true),
            new("dir_exists", "Return True if a directory exists in the state tree.\n\nCLI Example: orch '*' slsutil.dir_exists nginx/files",
                [Req("path"), Opt("saltenv", "base")], DirExistsAsync),
            new("file_exists", "Return True if a file exists in the state tree.\n\nCLI Example: orch '*' slsutil.file_exists nginx/defaults.yaml",
                [Req("path"), Opt("saltenv", "base")], FileExistsAsync),
            new("merge", "Merge a data structure into another by choosing a merge strategy: aggregate, list, overwrite, recurse, " +
                "smart (recurse, or aggregate for a yamlex renderer).\n\nCLI Example: orch '*' slsutil.merge '{foo: Foo}' '{bar: Bar}'",
                [Req("obj_a"), Req("obj_b"), Opt("strategy", "smart"), Opt("renderer", "yaml"), Opt("merge_lists", false)], Merge, SharesData: true),
            new("merge_all", "Merge a list of objects into each other in order, starting from an empty dict.\n\n" +
                "CLI Example: orch '*' slsutil.merge_all '[{foo: Foo}, {foo: Bar}]'",
                [Req("lst"), Opt("strategy", "smart"), Opt("renderer", "yaml"), Opt("merge_lists", false)], MergeAll, SharesData: true),
            new("path_exists", "Return True if a file or directory exists in the state tree.\n\nCLI Example: orch '*' slsutil.path_exists nginx/files",
                [Req("path"), Opt("saltenv", "base")], PathExistsAsync),
            new("renderer", "Parse a string or a file (salt:// or local) through Salt's renderer system; default_renderer " +
                "(jinja|yaml) is overridden by a shebang; other keyword arguments are template variables.\n\n" +
                "CLI Example: orch '*' slsutil.renderer salt://path/to/file\norch '*' slsutil.renderer string='Hello, {{ name }}.' name='world'",
                [Opt("path"), Opt("string"), Opt("default_renderer", "jinja|yaml")], RendererAsync, AcceptsExtraArgs: true),
            new("serialize", "Serialize a Python object using one of Salt's serializers (yaml, json), with its options " +
                "(yaml: default_flow_style, allow_unicode; json: indent, sort_keys, ensure_ascii).\n\n" +
                "CLI Example: orch '*' slsutil.serialize 'json' obj=\"{'foo': 'Foo!'}\"", [Req("serializer"), Req("obj")], Serialize,
                AcceptsExtraArgs: true, SharesData: true),
            new("update", "Merge upd recursively into dest (in place); merge_lists=True aggregates lists instead of replacing them.\n\n" +
                "CLI Example: orch '*' slsutil.update '{foo: Foo}' '{bar: Bar}'",
                [Req("dest"), Req("upd"), Opt("recursive_update", true), Opt("merge_lists", false)], Update, SharesData: true),
        ];
    }

    public string Doc => "Utility functions for use with or in SLS files: merging, serializing, rendering and banners.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static Task<object?> Update(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(Guard(() => DictUpdate.Update(
            call["dest"], call["upd"], call.GetBool("recursive_update", true), call.GetBool("merge_lists"))));

    private Task<object?> Merge(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult(MergeOne(call, call["obj_a"], call["obj_b"]));

    private Task<object?> MergeAll(ModuleCall call, CancellationToken cancellationToken)
    {
        object? merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var item in call.GetList("lst") ?? [])
        {
            merged = MergeOne(call, merged, item);
        }
        return Task.FromResult(merged);
    }

    private object? MergeOne(ModuleCall call, object? a, object? b)
    {
        var strategy = call.GetString("strategy") ?? "smart";
        if (!DictUpdate.IsKnownStrategy(strategy))
        {
            ExecutionLog.UnknownMergeStrategy(_logger, strategy);
        }
        return Guard(() => DictUpdate.Merge(a, b, strategy, call.GetString("renderer") ?? "yaml", call.GetBool("merge_lists")));
    }

    private static T Guard<T>(Func<T> merge)
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

    private static Task<object?> BoolStr(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult(DataTree.IsTruthy(call["value"]) ? call["true"] : call["false"]);

    private static Task<object?> Serialize(ModuleCall call, CancellationToken cancellationToken)
    {
        var options = Options(call);
        var obj = call["obj"];
        switch (call.RequireString("serializer"))
        {
            case "yaml":
                Only(call, options, "default_flow_style", "allow_unicode");
                // Salt's yaml serializer: yaml.dump with default_flow_style None unless given, without the final newline.
                var flow = options.TryGetValue("default_flow_style", out var style) ? style is null ? null : DataTree.IsTruthy(style) : (bool?)null;
                if (!DataTree.IsTruthy(options.GetValueOrDefault("allow_unicode")) && ContainsNonAscii(obj))
                {
                    throw new ModuleException("slsutil.serialize: yaml without allow_unicode=True escapes non-ASCII text, which is not supported here");
                }
                return Task.FromResult<object?>(PyYaml.Dump(obj, flow));
            case "json":
                Only(call, options, "indent", "sort_keys", "ensure_ascii");
                var indent = options.GetValueOrDefault("indent") switch
                {
                    null => (int?)null,
                    long l => (int)l,
                    var other => throw new ModuleException($"slsutil.serialize: json indent must be an integer, got {PyText.Repr(other)}"),
                };
                // salt.utils.json.dumps turns ensure_ascii off unless asked for.
                return Task.FromResult<object?>(PythonJson.Dumps(obj, DataTree.IsTruthy(options.GetValueOrDefault("sort_keys")), indent,
                    DataTree.IsTruthy(options.GetValueOrDefault("ensure_ascii"))));
            case var other:
                throw new ModuleException($"Serializer '{other}' not found.");
        }
    }

    private static Task<object?> Deserialize(ModuleCall call, CancellationToken cancellationToken)
    {
        var text = call.RequireString("stream_or_string");
        Only(call, Options(call));
        try
        {
            return Task.FromResult(call.RequireString("serializer") switch
            {
                "yaml" => PyYaml.Load(text),
                "json" => DataTree.FromJson(text),
                var other => throw new ModuleException($"Serializer '{other}' not found."),
            });
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or Shared.Rendering.Jinja.JinjaException)
        {
            throw new ModuleException($"Could not deserialize into a Python object: {e.Message}");
        }
    }

    /// <summary>The serializer's keyword options: Salt drops the <c>__pub_*</c> and other dunder keys (clean_kwargs).</summary>
    private static Dictionary<string, object?> Options(ModuleCall call) =>
        call.ExtraKwargs.Where(p => !p.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static void Only(ModuleCall call, Dictionary<string, object?> options, params string[] supported)
    {
        if (call.ExtraArgs.Count > 0)
        {
            throw new ModuleException($"{call.Function}() takes 2 positional arguments but {2 + call.ExtraArgs.Count} were given");
        }
        foreach (var key in options.Keys.Where(k => !supported.Contains(k)))
        {
            throw new ModuleException($"{call.Function}: option '{key}' is not supported for the {call.GetString("serializer")} serializer");
        }
    }

    private static bool ContainsNonAscii(object? value) => value switch
    {
        string s => s.Any(c => c > 0x7e),
        Dictionary<string, object?> d => d.Any(p => ContainsNonAscii(p.Key) || ContainsNonAscii(p.Value)),
        List<object?> l => l.Any(ContainsNonAscii),
        _ => false,
    };

    private static Task<object?> Banner(ModuleCall call, CancellationToken cancellationToken)
    {
        var width = (int)(call.GetInt("width") ?? 72);
        var commentChar = call.GetString("commentchar") ?? "#";
        var borderChar = call.GetString("borderchar") ?? "#";
        var title = call.GetString("title") ?? "THIS FILE IS MANAGED BY SALT - DO NOT EDIT";
        var text = call.GetString("text")
            ?? "The contents of this file are managed by Salt. Any changes to this file may be overwritten automatically and without warning.";
        var leftEdge = commentChar.TrimEnd();
        var rightEdge = commentChar.Trim();
        var leftGutter = leftEdge + " ";
        var rightGutter = " " + rightEdge;
        var textWidth = width - leftGutter.Length - rightGutter.Length;
        if (textWidth <= 0)
        {
            throw new ModuleException("Width is too small to render banner");
        }
        var border = commentChar + Repeat(borderChar.Length > 0 ? borderChar[..1] : "", width - leftEdge.Length - rightEdge.Length) + rightEdge;
        var spacer = commentChar + new string(' ', Math.Max(0, width - (commentChar.Length * 2))) + commentChar;
        var block = new List<string>();
        if (call.GetString("blockstart") is { } start)
        {
            block.Add(start);
        }
        block.Add(border);
        block.Add(spacer);
        block.AddRange(PyTextWrap.Wrap(title, textWidth).Select(line => leftGutter + PyTextWrap.Center(line, textWidth) + rightGutter));
        block.Add(spacer);
        block.AddRange(PyTextWrap.Wrap(text, textWidth).Select(line => leftGutter + line + new string(' ', Math.Max(0, textWidth - line.Length)) + rightGutter));
        block.Add(border);
        if (call.GetString("blockend") is { } end)
        {
            block.Add(end);
        }
        var result = string.Join("\n", block);
        return Task.FromResult<object?>(call.GetBool("newline") ? result + "\n" : result);
    }

    private static string Repeat(string text, int count) => count <= 0 ? string.Empty : string.Concat(Enumerable.Repeat(text, count));

    private static IFileClient Files(ModuleCall call) =>
        call.Context.Files ?? throw new ModuleException($"{call.Function}: no file client is configured (file_roots or a master)");

    private static async Task<object?> FileExistsAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await CpModule.MasterFilesAsync(Files(call), call.GetString("saltenv") ?? "base", "", cancellationToken).ConfigureAwait(false))
            .Contains(call.RequireString("path"));

    private static async Task<object?> DirExistsAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await CpModule.MasterDirsAsync(Files(call), call.GetString("saltenv") ?? "base", "", cancellationToken).ConfigureAwait(false))
            .Contains(call.RequireString("path"));

    private static async Task<object?> PathExistsAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (bool)(await DirExistsAsync(call, cancellationToken).ConfigureAwait(false))!
        || (bool)(await FileExistsAsync(call, cancellationToken).ConfigureAwait(false))!;

    private async Task<object?> RendererAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = call.GetString("path");
        var inline = call.GetString("string");
        if (string.IsNullOrEmpty(path) && string.IsNullOrEmpty(inline))
        {
            throw new ModuleException("Must pass either path or string");
        }
        if (!string.IsNullOrEmpty(path) && !string.IsNullOrEmpty(inline))
        {
            throw new ModuleException("Must not pass both path and string");
        }
        var saltenv = call.ExtraKwargs.GetValueOrDefault("saltenv") as string ?? "base";
        string text;
        if (!string.IsNullOrEmpty(path))
        {
            var local = path.StartsWith("salt://", StringComparison.Ordinal)
                ? await Files(call).CacheFileAsync(path, saltenv, cancellationToken).ConfigureAwait(false)
                : Path.IsPathRooted(path) && File.Exists(path) ? path : null;
            text = local is null
                ? throw new ModuleException($"Template {path} could not be found")
                : await File.ReadAllTextAsync(local, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            text = inline!;
        }
        var context = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in call.ExtraKwargs)
        {
            context[key] = value;
        }
        context["pillar"] = call.Context.Pillar;
        context["grains"] = call.Context.Grains;
        context["opts"] = call.Context.Opts;
        context["saltenv"] = saltenv;
        context.TryAdd("sls", "");
        var renderer = _rendererFactory?.Invoke(call.Context);
        var pipeline = new SlsRenderPipeline(renderer, call.GetString("default_renderer") ?? "jinja|yaml");
        try
        {
            return pipeline.Render(text, path ?? "<string>", context);
        }
        catch (Exception e) when (e is InvalidOperationException or Shared.Rendering.Jinja.JinjaException or YamlDotNet.Core.YamlException)
        {
            throw new ModuleException(e.Message);
        }
    }
}
