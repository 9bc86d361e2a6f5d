using System.Globalization;
using System.Text;

namespace Orchestrator.Shared.Output;

/// <summary>Salt's <c>json</c> outputter: Python <c>json.dumps(data, indent=4, ensure_ascii=False)</c>.</summary>
/// <remarks>
/// Keys keep their order; floats print as Python does (<c>1.0</c>, <c>1e+16</c>, <c>NaN</c>, <c>Infinity</c>); non-ASCII text
/// is written as-is. Without <see cref="OutputOptions.Static"/> each minion's return is its own document, one after the
/// other, as Salt prints them; with it the whole map is one document. <see cref="OutputOptions.Indent"/> changes the
/// indentation; a negative value puts each document on a single line (<c>{"web1": true}</c>).
/// </remarks>
public sealed class JsonOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options) => OutputterBase.Format(data, options, Render);

    /// <summary>Serializes a value exactly as Python's <c>json.dumps</c> would, with the given indent (<c>null</c>: one line).</summary>
    public static string Serialize(object? data, int? indent)
    {
        var sb = new StringBuilder();
        Write(sb, Data.DataTree.Normalize(data), indent, 0);
        return sb.ToString();
    }

    private static string Render(object? data, OutputOptions options)
    {
        var indent = options.Indent switch
        {
            null => 4,
            < 0 => (int?)null,
            var n => n,
        };
        return Serialize(data, indent);
    }

    private static void Write(StringBuilder sb, object? value, int? indent, int level)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyFormat.FloatRepr(d));
                break;
            case string s:
                WriteString(sb, s);
                break;
            case IReadOnlyDictionary<string, object?> map:
                if (map.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }
                sb.Append('{');
                var firstKey = true;
                foreach (var (key, item) in map)
                {
                    Separator(sb, indent, level + 1, firstKey);
                    firstKey = false;
                    WriteString(sb, key);
                    sb.Append(": ");
                    Write(sb, item, indent, level + 1);
                }
                Close(sb, indent, level);
                sb.Append('}');
                break;
            case IReadOnlyList<object?> list:
                if (list.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    Separator(sb, indent, level + 1, i == 0);
                    Write(sb, list[i], indent, level + 1);
                }
                Close(sb, indent, level);
                sb.Append(']');
                break;
            default:
                WriteString(sb, PyFormat.Repr(value));
                break;
        }
    }

    private static void Separator(StringBuilder sb, int? indent, int level, bool first)
    {
        if (indent is { } n)
        {
            if (!first)
            {
                sb.Append(',');
            }
            sb.Append('\n').Append(' ', n * level);
        }
        else if (!first)
        {
            sb.Append(", ");
        }
    }

    private static void Close(StringBuilder sb, int? indent, int level)
    {
        if (indent is { } n)
        {
            sb.Append('\n').Append(' ', n * level);
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\b': sb.Append(@"\b"); break;
                case '\f': sb.Append(@"\f"); break;
                case < ' ': sb.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
