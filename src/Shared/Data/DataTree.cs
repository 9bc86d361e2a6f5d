using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Shared.Data;

/// <summary>
/// The one data model every module, message and renderer speaks: <c>null</c>, <see cref="bool"/>, <see cref="long"/>,
/// <see cref="double"/>, <see cref="string"/>, <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c>
/// (insertion-ordered as written).
/// </summary>
/// <remarks>
/// Values arriving from MessagePack, YAML or JSON come in other shapes (<c>object[]</c>, <c>Dictionary&lt;object, object&gt;</c>,
/// <c>int</c>, <c>byte</c>...); <see cref="Normalize"/> turns them into the canonical form so code downstream can pattern-match on a
/// small closed set of types.
/// </remarks>
public static class DataTree
{
    /// <summary>Converts any supported .NET value into the canonical data model.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        long l => l,
        int i => (long)i,
        short s16 => (long)s16,
        byte u8 => (long)u8,
        sbyte s8 => (long)s8,
        ushort u16 => (long)u16,
        uint u32 => (long)u32,
        ulong u64 => u64 <= long.MaxValue ? (long)u64 : (object)(double)u64,
        double d => d,
        float f => (double)f,
        decimal m => (double)m,
        char c => c.ToString(),
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
        JsonElement je => FromJsonElement(je),
        Dictionary<string, object?> dict => NormalizeDictionary(dict),
        System.Collections.IDictionary map => NormalizeMap(map),
        System.Collections.IEnumerable list => NormalizeList(list),
        _ => value.ToString(),
    };

    private static Dictionary<string, object?> NormalizeDictionary(Dictionary<string, object?> dict)
    {
        var result = new Dictionary<string, object?>(dict.Count, StringComparer.Ordinal);
        foreach (var (key, item) in dict)
        {
            result[key] = Normalize(item);
        }
        return result;
    }

    private static Dictionary<string, object?> NormalizeMap(System.Collections.IDictionary map)
    {
        var result = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            result[KeyToString(entry.Key)] = Normalize(entry.Value);
        }
        return result;
    }

    private static List<object?> NormalizeList(System.Collections.IEnumerable list)
    {
        var result = new List<object?>();
        foreach (var item in list)
        {
            result.Add(Normalize(item));
        }
        return result;
    }

    /// <summary>Renders a mapping key the way Salt does when it has to stringify one (YAML <c>1: x</c>, <c>true: y</c>).</summary>
    public static string KeyToString(object? key) => key switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? string.Empty,
    };

    /// <summary>Parses JSON text into the canonical data model.</summary>
    public static object? FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJsonElement(document.RootElement);
    }

    private static object? FromJsonElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    dict[property.Name] = FromJsonElement(property.Value);
                }
                return dict;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(FromJsonElement(item));
                }
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? l : (object)element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>Writes a canonical value as JSON (keys in insertion order; <paramref name="indent"/> pretty-prints with 4 spaces like Salt).</summary>
    public static string ToJson(object? value, bool indent = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = indent,
            IndentSize = 4,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            WriteJson(writer, Normalize(value));
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): WriteDouble(writer, d); break;
            case double d: writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case string s: writer.WriteStringValue(s); break;
            case Dictionary<string, object?> dict:
                writer.WriteStartObject();
                foreach (var (key, item) in dict)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }
                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double d)
    {
        // An integral double keeps a fraction ("1.0", as Python writes it), so reading the JSON back gives a double, not a long.
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        if (text.AsSpan().IndexOfAny('.', 'E', 'e') < 0)
        {
            writer.WriteRawValue(text + ".0", skipInputValidation: true);
        }
        else
        {
            writer.WriteNumberValue(d);
        }
    }

    /// <summary>Python-like truthiness, as Salt applies it to returns and Jinja to conditions.</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };
}
