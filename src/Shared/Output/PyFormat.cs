using System.Globalization;
using System.Text;

namespace Orchestrator.Shared.Output;

/// <summary>Python's <c>str()</c>, <c>repr()</c> and <c>str.splitlines()</c> for the canonical data model, which is what
/// Salt's outputters and matchers print and compare.</summary>
internal static class PyFormat
{
    /// <summary>Python <c>str(value)</c>: strings as-is, everything else as <see cref="Repr"/>.</summary>
    public static string Str(object? value) => value as string ?? Repr(value);

    /// <summary>Python <c>repr(value)</c>.</summary>
    public static string Repr(object? value)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value, sortKeys: false);
        return sb.ToString();
    }

    /// <summary>Python <c>repr(value)</c> with mapping keys sorted, as <c>pprint</c> prints them.</summary>
    public static string SortedRepr(object? value)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value, sortKeys: true);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? value, bool sortKeys)
    {
        switch (value)
        {
            case null:
                sb.Append("None");
                break;
            case bool b:
                sb.Append(b ? "True" : "False");
                break;
            case string s:
                AppendStringRepr(sb, s);
                break;
            case double d:
                sb.Append(FloatRepr(d));
                break;
            case float f:
                sb.Append(FloatRepr(f));
                break;
            case IReadOnlyDictionary<string, object?> dict:
                sb.Append('{');
                var first = true;
                foreach (var key in OrderKeys(dict.Keys, sortKeys))
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }
                    first = false;
                    AppendStringRepr(sb, key);
                    sb.Append(": ");
                    AppendRepr(sb, dict[key], sortKeys);
                }
                sb.Append('}');
                break;
            case IReadOnlyList<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    AppendRepr(sb, list[i], sortKeys);
                }
                sb.Append(']');
                break;
            case IFormattable formattable:
                sb.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                AppendStringRepr(sb, value.ToString() ?? string.Empty);
                break;
        }
    }

    public static IEnumerable<string> OrderKeys(IEnumerable<string> keys, bool sort)
    {
        if (!sort)
        {
            return keys;
        }
        var array = keys.ToArray();
        Array.Sort(array, CodePointComparer.Instance);
        return array;
    }

    /// <summary>Orders strings by Unicode code point, as Python's <c>sorted()</c> does (UTF-16 ordinal order differs for
    /// characters above U+FFFF).</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }
            var length = Math.Min(x.Length, y.Length);
            for (var i = 0; i < length; i++)
            {
                if (x[i] != y[i])
                {
                    return Fix(x[i]).CompareTo(Fix(y[i]));
                }
            }
            return x.Length.CompareTo(y.Length);
        }

        // Moves surrogates above the rest of the BMP so UTF-16 units compare in code-point order.
        private static int Fix(char c) => c < '\uD800' ? c : c >= '\uE000' ? c - 0x800 : c + 0x2000;
    }

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text holds a single quote and no double quote.</summary>
    /// <param name="sb">Where the text goes.</param>
    /// <param name="s">The string.</param>
    /// <param name="onlyControls">Escape only control characters (C0, DEL, C1) past ASCII and keep every other character,
    /// instead of Python's <c>str.isprintable()</c> rule (which also escapes e.g. U+00A0, U+2028, format characters and
    /// unassigned code points). The Jinja engine's <c>repr</c> has always printed strings this way; kept as it was.</param>
    public static void AppendStringRepr(StringBuilder sb, string s, bool onlyControls = false)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append(c);
            }
            else if (c == '\t')
            {
                sb.Append(@"\t");
            }
            else if (c == '\n')
            {
                sb.Append(@"\n");
            }
            else if (c == '\r')
            {
                sb.Append(@"\r");
            }
            else if (c < ' ' || c == '\x7f')
            {
                sb.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c < '\x7f' || (onlyControls && c >= '\xA0'))
            {
                sb.Append(c);
            }
            else if (onlyControls)
            {
                sb.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var rune = new Rune(c, s[i + 1]);
                if (IsPrintable(Rune.GetUnicodeCategory(rune)))
                {
                    sb.Append(c).Append(s[i + 1]);
                }
                else
                {
                    sb.Append(@"\U").Append(rune.Value.ToString("x8", CultureInfo.InvariantCulture));
                }
                i++;
            }
            else if (!char.IsSurrogate(c) && IsPrintable(char.GetUnicodeCategory(c)))
            {
                sb.Append(c);
            }
            else if (c <= '\xff')
            {
                sb.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }
        sb.Append(quote);
    }

    private static bool IsPrintable(UnicodeCategory category) => category switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, <c>1.0</c>, <c>1e+16</c>, <c>1e-05</c>, <c>inf</c>, <c>nan</c>.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }
        var negative = d < 0 || (d == 0 && double.IsNegative(d));
        var text = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var point = text.IndexOf('.');
        var digits = point >= 0 ? text.Remove(point, 1) : text;
        var decpt = (point >= 0 ? point : text.Length) + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }
        digits = digits[lead..];
        decpt -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
            decpt = 1;
        }

        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }
        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0)
            {
                sb.Append("0.").Append('0', -decpt).Append(digits);
            }
            else if (decpt >= digits.Length)
            {
                sb.Append(digits).Append('0', decpt - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, decpt).Append('.').Append(digits, decpt, digits.Length - decpt);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }
            var exp = decpt - 1;
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Python's <c>str.splitlines()</c>: splits on every Unicode line boundary, no trailing empty line.</summary>
    public static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (IsLineBoundary(c))
            {
                lines.Add(s[start..i]);
                i += c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1;
                start = i;
            }
            else
            {
                i++;
            }
        }
        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }
        return lines;
    }

    private static bool IsLineBoundary(char c) =>
        c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';
}
