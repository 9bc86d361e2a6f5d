using System.Globalization;
using System.Text;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>Python's <c>json.dumps</c> output (ensure_ascii, <c>", "</c>/<c>": "</c> separators, optional indent and key sorting).</summary>
internal static class JsonWriter
{
    // ensureAscii is Python's ensure_ascii: escape everything outside printable ASCII (true, Python's default) or only
    // control characters (false, as salt.utils.json.dumps and so Salt's json filter).
    public static string Dumps(RenderState st, object? value, bool sortKeys, int? indent, bool ensureAscii = true)
    {
        var sb = new StringBuilder();
        Write(st, sb, value, new Options(sortKeys, indent, ensureAscii), 0);
        return sb.ToString();
    }

    private readonly record struct Options(bool SortKeys, int? Indent, bool EnsureAscii);

    private static void NewLine(StringBuilder sb, int? indent, int level)
    {
        JinjaLimits.Check(sb.Length + ((long)indent!.Value * level), "the JSON text");
        sb.Append('\n').Append(' ', Math.Max(0, indent.Value * level));
    }

    private static void Write(RenderState st, StringBuilder sb, object? value, Options o, int level)
    {
        var (sortKeys, indent, ensureAscii) = o;
        Py.EnsureStack();
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long or int: sb.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : Py.FloatRepr(d));
                break;
            case string s: WriteString(sb, s, ensureAscii); break;
            case IDictionary<string, object?> dict:
                {
                    if (dict.Count == 0)
                    {
                        sb.Append("{}");
                        break;
                    }
                    IEnumerable<KeyValuePair<string, object?>> pairs = dict;
                    if (sortKeys)
                    {
                        pairs = dict.OrderBy(p => p.Key, StringComparer.Ordinal);
                    }
                    sb.Append('{');
                    var first = true;
                    foreach (var pair in pairs)
                    {
                        if (!first)
                        {
                            sb.Append(indent is null ? ", " : ",");
                        }
                        first = false;
                        if (indent is not null)
                        {
                            NewLine(sb, indent, level + 1);
                        }
                        WriteString(sb, pair.Key, ensureAscii);
                        sb.Append(": ");
                        Write(st, sb, pair.Value, o, level + 1);
                    }
                    if (indent is not null)
                    {
                        NewLine(sb, indent, level);
                    }
                    sb.Append('}');
                    break;
                }
            case Undefined u:
                throw u.Error();
            case List<object?> or PyTuple or DictView:
                {
                    var items = Py.ToList(st, value);
                    if (items.Count == 0)
                    {
                        sb.Append("[]");
                        break;
                    }
                    sb.Append('[');
                    for (var i = 0; i < items.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(indent is null ? ", " : ",");
                        }
                        if (indent is not null)
                        {
                            NewLine(sb, indent, level + 1);
                        }
                        Write(st, sb, items[i], o, level + 1);
                    }
                    if (indent is not null)
                    {
                        NewLine(sb, indent, level);
                    }
                    sb.Append(']');
                    break;
                }
            default:
                throw Py.TypeError($"Object of type {Py.TypeName(value)} is not JSON serializable");
        }
    }

    public static void WriteString(StringBuilder sb, string s, bool ensureAscii = true)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (ensureAscii && c > 0x7e))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
