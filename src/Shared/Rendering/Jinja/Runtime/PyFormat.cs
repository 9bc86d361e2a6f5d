using System.Globalization;
using System.Text;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>Python's <c>%</c> formatting and <c>str.format</c> (the common subset of the format-spec mini-language).</summary>
internal static class PyFormat
{
    private static JinjaException Error(string message) => new(JinjaErrorKind.Runtime, message);

    public static string Percent(RenderState st, string fmt, object? values)
    {
        List<object?> args;
        IDictionary<string, object?>? mapping = null;
        switch (values)
        {
            case PyTuple t: args = t.Items.ToList(); break;
            case IDictionary<string, object?> d: mapping = d; args = [d]; break;
            default: args = [values]; break;
        }
        var sb = new StringBuilder();
        var argi = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var c = fmt[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            i++;
            if (i >= fmt.Length)
            {
                throw Error("incomplete format");
            }
            if (fmt[i] == '%')
            {
                sb.Append('%');
                continue;
            }
            object? value = null;
            var keyed = false;
            if (fmt[i] == '(')
            {
                var close = fmt.IndexOf(')', i);
                if (close < 0 || mapping is null)
                {
                    throw Error("format requires a mapping");
                }
                var key = fmt[(i + 1)..close];
                if (!mapping.TryGetValue(key, out value))
                {
                    throw Error(Py.Repr(key));
                }
                i = close + 1;
                keyed = true;
            }
            var flags = new StringBuilder();
            while (i < fmt.Length && "-+ #0".Contains(fmt[i]))
            {
                flags.Append(fmt[i++]);
            }
            var width = ReadInt(fmt, ref i);
            int? precision = null;
            if (i < fmt.Length && fmt[i] == '.')
            {
                i++;
                precision = ReadInt(fmt, ref i) ?? 0;
            }
            if (i >= fmt.Length)
            {
                throw Error("incomplete format");
            }
            var type = fmt[i];
            if (!keyed)
            {
                if (argi >= args.Count)
                {
                    throw Error("not enough arguments for format string");
                }
                value = args[argi++];
            }
            var f = flags.ToString();
            var spec = new Spec
            {
                Fill = f.Contains('0') && !f.Contains('-') && type is not ('s' or 'r' or 'a' or 'c') ? '0' : ' ',
                Align = f.Contains('-') ? '<' : (f.Contains('0') && type is not ('s' or 'r' or 'a' or 'c') ? '=' : '>'),
                Sign = f.Contains('+') ? '+' : f.Contains(' ') ? ' ' : '-',
                Alternate = f.Contains('#'),
                Width = width ?? 0,
                Precision = precision,
                Type = type switch { 'i' or 'u' => 'd', 'r' or 'a' => 'r', _ => type },
            };
            if (spec.Type is 'd' or 'x' or 'X' or 'o' && value is double dv)
            {
                value = (long)Math.Truncate(dv);
            }
            if (spec.Type is 'd' or 'x' or 'X' or 'o' or 'f' or 'F' or 'e' or 'E' or 'g' or 'G' && !Py.IsNumber(value))
            {
                throw Error($"%{type} format: a real number is required, not {Py.TypeName(value)}");
            }
            sb.Append(FormatValue(st, value, spec));
        }
        if (argi > 0 && argi < args.Count)
        {
            throw Error("not all arguments converted during string formatting");
        }
        return sb.ToString();
    }

    private static int? ReadInt(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        if (i == start)
        {
            return null;
        }
        // Python: "Too many decimal digits in format string" past a machine int, MemoryError for a huge one that fits.
        if (!long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Error("Too many decimal digits in format string");
        }
        return JinjaLimits.Width(value, "the formatted field");
    }

    public static string Format(RenderState st, string fmt, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            var c = fmt[i];
            if (c == '{')
            {
                if (i + 1 < fmt.Length && fmt[i + 1] == '{')
                {
                    sb.Append('{');
                    i++;
                    continue;
                }
                var depth = 1;
                var j = i + 1;
                while (j < fmt.Length && depth > 0)
                {
                    if (fmt[j] == '{')
                    {
                        depth++;
                    }
                    else if (fmt[j] == '}')
                    {
                        depth--;
                    }
                    j++;
                }
                if (depth != 0)
                {
                    throw Error("Single '{' encountered in format string");
                }
                var field = fmt[(i + 1)..(j - 1)];
                sb.Append(FormatField(st, field, args, kwargs, ref auto));
                i = j - 1;
            }
            else if (c == '}')
            {
                if (i + 1 < fmt.Length && fmt[i + 1] == '}')
                {
                    i++;
                }
                else
                {
                    throw Error("Single '}' encountered in format string");
                }
                sb.Append('}');
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string FormatField(RenderState st, string field, List<object?> args, Dictionary<string, object?> kwargs, ref int auto)
    {
        var specStart = field.IndexOf(':');
        var spec = specStart >= 0 ? field[(specStart + 1)..] : string.Empty;
        var name = specStart >= 0 ? field[..specStart] : field;
        char? conversion = null;
        var bang = name.IndexOf('!');
        if (bang >= 0)
        {
            conversion = name[bang + 1];
            name = name[..bang];
        }
        if (spec.Contains('{'))
        {
            spec = Format(st, spec, args, kwargs);
        }
        var end = 0;
        while (end < name.Length && name[end] != '.' && name[end] != '[')
        {
            end++;
        }
        var first = name[..end];
        object? value;
        if (first.Length == 0)
        {
            if (auto >= args.Count)
            {
                throw Error($"Replacement index {auto} out of range for positional args tuple");
            }
            value = args[auto++];
        }
        else if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var idx))
        {
            if (idx >= args.Count)
            {
                throw Error($"Replacement index {idx} out of range for positional args tuple");
            }
            value = args[idx];
        }
        else if (!kwargs.TryGetValue(first, out value))
        {
            throw Error(Py.Repr(first));
        }
        var rest = name[end..];
        var p = 0;
        while (p < rest.Length)
        {
            if (rest[p] == '.')
            {
                var q = p + 1;
                while (q < rest.Length && rest[q] != '.' && rest[q] != '[')
                {
                    q++;
                }
                value = Py.GetAttr(st, value, rest[(p + 1)..q]);
                p = q;
            }
            else
            {
                var q = rest.IndexOf(']', p);
                var key = rest[(p + 1)..q];
                value = Py.GetItem(st, value, long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : key);
                p = q + 1;
            }
        }
        if (conversion == 'r' || conversion == 'a')
        {
            value = Py.Repr(value);
        }
        else if (conversion == 's')
        {
            value = Py.Str(st, value);
        }
        return FormatValue(st, value, ParseSpec(spec, value));
    }

    private sealed class Spec
    {
        public char Fill { get; set; } = ' ';

        public char? Align { get; set; }

        public char Sign { get; set; } = '-';

        public bool Alternate { get; set; }

        public int Width { get; set; }

        public bool Grouping { get; set; }

        public int? Precision { get; set; }

        public char Type { get; set; }
    }

    private static Spec ParseSpec(string spec, object? value)
    {
        var s = new Spec();
        var i = 0;
        if (spec.Length >= 2 && spec[1] is '<' or '>' or '^' or '=')
        {
            s.Fill = spec[0];
            s.Align = spec[1];
            i = 2;
        }
        else if (spec.Length >= 1 && spec[0] is '<' or '>' or '^' or '=')
        {
            s.Align = spec[0];
            i = 1;
        }
        if (i < spec.Length && spec[i] is '+' or '-' or ' ')
        {
            s.Sign = spec[i++];
        }
        if (i < spec.Length && spec[i] == '#')
        {
            s.Alternate = true;
            i++;
        }
        if (i < spec.Length && spec[i] == '0')
        {
            if (s.Align is null)
            {
                s.Fill = '0';
                s.Align = '=';
            }
            i++;
        }
        s.Width = ReadInt(spec, ref i) ?? 0;
        if (i < spec.Length && spec[i] is ',' or '_')
        {
            s.Grouping = true;
            i++;
        }
        if (i < spec.Length && spec[i] == '.')
        {
            i++;
            s.Precision = ReadInt(spec, ref i) ?? 0;
        }
        if (i < spec.Length)
        {
            s.Type = spec[i];
        }
        if (s.Type == '\0')
        {
            s.Type = value switch
            {
                long or int or bool => 'd',
                double when s.Precision is not null => 'G',
                double => 'R',
                _ => 's',
            };
        }
        if (s.Type == 'n')
        {
            s.Type = value is double ? 'g' : 'd';
        }
        return s;
    }

    private static string FormatValue(RenderState st, object? value, Spec spec)
    {
        string body;
        var negative = false;
        var numeric = true;
        switch (spec.Type)
        {
            case 's':
                body = Py.Str(st, value);
                if (spec.Precision is { } p && p < body.Length)
                {
                    body = body[..p];
                }
                numeric = false;
                break;
            case 'r':
                body = Py.Repr(value);
                numeric = false;
                break;
            case 'c':
                body = value is string cs ? cs : CodePoint(value);
                numeric = false;
                break;
            case 'd':
            case 'x':
            case 'X':
            case 'o':
            case 'b':
                {
                    if (!Py.TryNumber(value, out var l, out var d, out var isFloat) || isFloat)
                    {
                        if (value is double dv2)
                        {
                            throw Error($"Unknown format code '{spec.Type}' for object of type 'float'");
                        }
                        throw Error($"Unknown format code '{spec.Type}' for object of type '{Py.TypeName(value)}'");
                    }
                    negative = l < 0;
                    var abs = negative ? (ulong)(-(l + 1)) + 1 : (ulong)l;
                    body = spec.Type switch
                    {
                        'x' => abs.ToString("x", CultureInfo.InvariantCulture),
                        'X' => abs.ToString("X", CultureInfo.InvariantCulture),
                        'o' => Convert.ToString((long)abs, 8),
                        'b' => Convert.ToString((long)abs, 2),
                        _ => abs.ToString(CultureInfo.InvariantCulture),
                    };
                    if (spec.Grouping && spec.Type == 'd')
                    {
                        body = Group(body);
                    }
                    if (spec.Alternate && spec.Type != 'd')
                    {
                        body = (spec.Type switch { 'x' => "0x", 'X' => "0X", 'o' => "0o", _ => "0b" }) + body;
                    }
                    _ = d;
                    break;
                }
            default:
                {
                    if (!Py.TryNumber(value, out _, out var d, out _))
                    {
                        throw Error($"Unknown format code '{spec.Type}' for object of type '{Py.TypeName(value)}'");
                    }
                    negative = d < 0 || (d == 0 && double.IsNegative(d));
                    var a = Math.Abs(d);
                    body = FormatFloat(a, spec);
                    break;
                }
        }
        if (numeric)
        {
            var signStr = negative ? "-" : spec.Sign == '+' ? "+" : spec.Sign == ' ' ? " " : string.Empty;
            var align = spec.Align ?? '>';
            if (align == '=')
            {
                var padLen = spec.Width - signStr.Length - body.Length;
                return signStr + (padLen > 0 ? new string(spec.Fill, padLen) : string.Empty) + body;
            }
            body = signStr + body;
            return Pad(body, spec.Width, align, spec.Fill);
        }
        return Pad(body, spec.Width, spec.Align ?? '<', spec.Fill);
    }

    // Python's chr() for %c: any code point below 0x110000, a lone surrogate included (ConvertFromUtf32 refuses those).
    private static string CodePoint(object? value)
    {
        if (!Py.TryNumber(value, out var code, out _, out var isFloat) || isFloat)
        {
            throw Py.TypeError("%c requires int or char");
        }
        if (code is < 0 or >= 0x110000)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "%c arg not in range(0x110000)");
        }
        return code is >= 0xD800 and < 0xE000 ? ((char)code).ToString() : char.ConvertFromUtf32((int)code);
    }

    private static string Pad(string body, int width, char align, char fill)
    {
        var pad = width - body.Length;
        if (pad <= 0)
        {
            return body;
        }
        return align switch
        {
            '<' => body + new string(fill, pad),
            '^' => new string(fill, pad / 2) + body + new string(fill, pad - (pad / 2)),
            _ => new string(fill, pad) + body,
        };
    }

    private static string Group(string digits)
    {
        var sb = new StringBuilder();
        var first = digits.Length % 3;
        if (first == 0)
        {
            first = 3;
        }
        sb.Append(digits, 0, Math.Min(first, digits.Length));
        for (var i = first; i < digits.Length; i += 3)
        {
            sb.Append(',').Append(digits, i, 3);
        }
        return sb.ToString();
    }

    private static string FormatFloat(double a, Spec spec)
    {
        if (double.IsNaN(a))
        {
            return char.IsUpper(spec.Type) && spec.Type != 'R' ? "NAN" : "nan";
        }
        if (double.IsInfinity(a))
        {
            return char.IsUpper(spec.Type) && spec.Type != 'R' ? "INF" : "inf";
        }
        switch (spec.Type)
        {
            case 'R':
                return Py.FloatRepr(a);
            case 'f':
            case 'F':
                {
                    var s = a.ToString("F" + (spec.Precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                    if (spec.Grouping)
                    {
                        var dot = s.IndexOf('.');
                        s = dot < 0 ? Group(s) : Group(s[..dot]) + s[dot..];
                    }
                    return s;
                }
            case '%':
                return (a * 100).ToString("F" + (spec.Precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
            case 'e':
            case 'E':
                return Sci(a, spec.Precision ?? 6, spec.Type);
            default:
                {
                    var upper = spec.Type == 'G';
                    var p = spec.Precision ?? 6;
                    if (p == 0)
                    {
                        p = 1;
                    }
                    if (a == 0)
                    {
                        return spec.Alternate ? "0." + new string('0', p - 1) : "0";
                    }
                    var sci = Sci(a, p - 1, 'e');
                    var exp = int.Parse(sci[(sci.IndexOf('e') + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    string r;
                    if (exp >= -4 && exp < p)
                    {
                        r = a.ToString("F" + (p - 1 - exp).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                        if (!spec.Alternate && r.Contains('.'))
                        {
                            r = r.TrimEnd('0').TrimEnd('.');
                        }
                    }
                    else
                    {
                        var mant = sci[..sci.IndexOf('e')];
                        if (!spec.Alternate && mant.Contains('.'))
                        {
                            mant = mant.TrimEnd('0').TrimEnd('.');
                        }
                        r = mant + sci[sci.IndexOf('e')..];
                    }
                    return upper ? r.ToUpperInvariant() : r;
                }
        }
    }

    private static string Sci(double a, int precision, char type)
    {
        var s = a.ToString((type == 'E' ? "E" : "e") + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var e = s.IndexOfAny(['e', 'E']);
        var mant = s[..e];
        var exp = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return mant + s[e] + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }
}
