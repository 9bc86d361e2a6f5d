using Orchestrator.Shared.Rendering.Jinja.Ast;
using Orchestrator.Shared.Rendering.Jinja.Runtime;
using static Orchestrator.Shared.Rendering.Jinja.Builtins.FilterArgs;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>Salt's <c>SerializerExtension</c> filters (yaml, json, python, load_*) plus Salt's tojson and yaml_* encoders.</summary>
internal static class SerializerFilters
{
    public static void Register(Dictionary<string, FilterFunc> f)
    {
        f["yaml"] = (st, v, a, k) => YamlWriter.Dump(st, v, Bool(st, a, k, 0, "flow_style", true));
        f["json"] = (st, v, a, k) =>
        {
            var indent = Get(a, k, 1, "indent");
            var width = indent is null ? (int?)null : JinjaLimits.Width(Int(a, k, 1, "indent", 0), "the indentation");
            return JsonWriter.Dumps(st, v, Bool(st, a, k, 0, "sort_keys", true), width, ensureAscii: false).Trim();
        };
        f["tojson"] = (st, v, a, k) =>
        {
            var indent = Get(a, k, 0, "indent");
            var json = JsonWriter.Dumps(st, v, Bool(st, a, k, 99, "sort_keys"), indent is null ? null : JinjaLimits.Width(Int(a, k, 0, "indent", 0), "the indentation"));
            return json.Replace("<", "\\u003c", StringComparison.Ordinal).Replace(">", "\\u003e", StringComparison.Ordinal)
                .Replace("&", "\\u0026", StringComparison.Ordinal).Replace("'", "\\u0027", StringComparison.Ordinal);
        };
        f["python"] = (st, v, a, k) => Py.Repr(SortedCopy(v));
        f["load_yaml"] = (st, v, a, k) => Load("yaml", LoadInput(st, v, "yaml"));
        f["load_json"] = (st, v, a, k) => Load("json", LoadInput(st, v, "json"));
        f["load_text"] = (st, v, a, k) => v is TemplateModule m ? m.Body : v;
        f["yaml_encode"] = (st, v, a, k) => v switch
        {
            string s => YamlQuoteFilters.DoubleQuoted(s),
            null or bool or long or double => YamlWriter.ScalarText(v),
            Undefined u => throw u.Error(),
            _ => throw new JinjaException(JinjaErrorKind.Runtime, $"yaml_encode() only works with YAML scalar data; failed for <class '{Py.TypeName(v)}'>"),
        };
        f["yaml_dquote"] = (st, v, a, k) => YamlQuoteFilters.DoubleQuoted(Py.Str(st, v));
        f["yaml_squote"] = (st, v, a, k) => YamlQuoteFilters.SingleQuoted(Py.Str(st, v));
    }

    // Salt's load_yaml/load_json take text (or an imported template's output); anything else fails to load as Salt reports it.
    private static string LoadInput(RenderState st, object? v, string format) => v switch
    {
        TemplateModule m => m.Body,
        string s => s,
        Undefined u => throw u.Error(),
        _ => throw new JinjaException(JinjaErrorKind.TemplateRuntime, $"Unable to load {format} from {Py.Str(st, v)}"),
    };

    private static object? SortedCopy(object? v) => v switch
    {
        IDictionary<string, object?> d => d.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => SortedCopy(p.Value), StringComparer.Ordinal),
        List<object?> l => l.Select(SortedCopy).ToList(),
        _ => v,
    };

    private static object? FromJson(System.Text.Json.JsonElement e) => e.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Object => e.EnumerateObject().Aggregate(
            new Dictionary<string, object?>(StringComparer.Ordinal),
            (d, p) =>
            {
                d[p.Name] = FromJson(p.Value);
                return d;
            }),
        System.Text.Json.JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        System.Text.Json.JsonValueKind.String => e.GetString(),
        System.Text.Json.JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        _ => null,
    };

    public static object? Load(string format, string text)
    {
        switch (format)
        {
            case "yaml":
                return YamlReader.Load(text);
            case "json":
                try
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(text);
                    return FromJson(doc.RootElement);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
                {
                    // ArgumentException: text with a lone surrogate, which System.Text.Json cannot transcode.
                    throw new JinjaException(JinjaErrorKind.TemplateRuntime, $"Unable to load json from {text}");
                }
            default:
                return text;
        }
    }
}
