using System.Globalization;
using System.Text;
using Orchestrator.Shared.Rendering.Jinja.Ast;
using Orchestrator.Shared.Rendering.Jinja.Runtime;
using static Orchestrator.Shared.Rendering.Jinja.Builtins.FilterArgs;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>Jinja2 3.1's built-in filters.</summary>
internal static class CoreFilters
{
    public static void Register(Dictionary<string, FilterFunc> f)
    {
        f["abs"] = (st, v, a, k) => v switch
        {
            // -2**63 has no 64-bit absolute value (Math.Abs throws); like other integers past 64 bits it becomes a double.
            long l => l == long.MinValue ? -(double)l : (object)Math.Abs(l),
            double d => Math.Abs(d),
            bool b => b ? 1L : 0L,
            Undefined u => throw u.Error(),
            _ => throw Py.TypeError($"bad operand type for abs(): '{Py.TypeName(v)}'"),
        };
        f["attr"] = (st, v, a, k) =>
        {
            if (v is Undefined u)
            {
                throw u.Error();
            }
            var name = Py.Str(st, Get(a, k, 0, "name"));
            return PyMethods.TryGetAttribute(v, name, out var r) ? r : new Undefined(v, name);
        };
        f["batch"] = (st, v, a, k) =>
        {
            var size = (int)Int(a, k, 0, "linecount", 1);
            var fill = Has(a, k, 1, "fill_with") ? Get(a, k, 1, "fill_with") : null;
            var hasFill = Has(a, k, 1, "fill_with") && fill is not null;
            var result = new List<object?>();
            List<object?>? tmp = null;
            foreach (var item in Py.Iterate(st, v))
            {
                tmp ??= new List<object?>();
                tmp.Add(item);
                if (tmp.Count == size)
                {
                    result.Add(tmp);
                    tmp = null;
                }
            }
            if (tmp is not null)
            {
                if (hasFill)
                {
                    while (tmp.Count < size)
                    {
                        tmp.Add(fill);
                    }
                }
                result.Add(tmp);
            }
            return result;
        };
        f["capitalize"] = (st, v, a, k) => PyMethods.Capitalize(Py.Str(st, v));
        f["center"] = (st, v, a, k) => PyMethods.Center(Py.Str(st, v), JinjaLimits.Width(Int(a, k, 0, "width", 80), "the padded string"));
        f["count"] = f["length"] = (st, v, a, k) => (long)Py.Len(st, v);
        f["default"] = f["d"] = (st, v, a, k) =>
        {
            var def = Get(a, k, 0, "default_value", string.Empty);
            var boolean = Bool(st, a, k, 1, "boolean");
            if (v is Undefined || (boolean && !Py.Truthy(st, v)))
            {
                return def;
            }
            return v;
        };
        f["dictsort"] = (st, v, a, k) =>
        {
            var caseSensitive = Bool(st, a, k, 0, "case_sensitive");
            var by = Str(st, a, k, 1, "by", "key");
            var reverse = Bool(st, a, k, 2, "reverse");
            if (v is Undefined u)
            {
                throw u.Error();
            }
            if (v is not IDictionary<string, object?> dict)
            {
                throw Py.TypeError($"'{Py.TypeName(v)}' object has no attribute 'items'");
            }
            var pos = by == "key" ? 0 : by == "value" ? 1 : throw new JinjaException(JinjaErrorKind.Runtime, "You can only sort by either \"key\" or \"value\"");
            var items = dict.Select(p => (object?)PyTuple.Pair(p.Key, p.Value)).ToList();
            return StableSort(st, items, item =>
            {
                var key = ((PyTuple)item!)[pos];
                return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
            }, reverse);
        };
        f["escape"] = f["e"] = f["forceescape"] = (st, v, a, k) => HtmlEscape(Py.Str(st, v));
        f["filesizeformat"] = (st, v, a, k) => FileSizeFormat(st, v, Bool(st, a, k, 0, "binary"));
        f["first"] = (st, v, a, k) =>
        {
            foreach (var item in Py.Iterate(st, v))
            {
                return item;
            }
            return new Undefined(null, "No first item, sequence was empty.");
        };
        f["float"] = (st, v, a, k) => ToFloat(v, Get(a, k, 0, "default", 0.0));
        f["format"] = (st, v, a, k) =>
        {
            var fmt = Py.Str(st, v);
            if (a.Count > 0 && k.Count > 0)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, "can't handle positional and keyword arguments at the same time");
            }
            return PyFormat.Percent(st, fmt, k.Count > 0 ? new Dictionary<string, object?>(k) : new PyTuple(a.ToArray()));
        };
        f["groupby"] = GroupBy;
        f["indent"] = (st, v, a, k) =>
        {
            var widthArg = Get(a, k, 0, "width", 4L);
            var indention = widthArg is string ws ? ws : new string(' ', Math.Max(0, JinjaLimits.Width(Int(a, k, 0, "width", 4), "the indentation")));
            var first = Bool(st, a, k, 1, "first");
            var blank = Bool(st, a, k, 2, "blank");
            var s = Py.Str(st, v) + "\n";
            var lines = PyMethods.SplitLines(s, false).Cast<string>().ToList();
            JinjaLimits.CheckRepeat(lines.Count, indention.Length + 1, "the indented string");
            string rv;
            if (blank)
            {
                rv = string.Join("\n" + indention, lines);
            }
            else
            {
                var sb = new StringBuilder(lines.Count > 0 ? lines[0] : string.Empty);
                for (var i = 1; i < lines.Count; i++)
                {
                    sb.Append('\n');
                    if (lines[i].Length > 0)
                    {
                        sb.Append(indention);
                    }
                    sb.Append(lines[i]);
                }
                rv = sb.ToString();
            }
            return first ? indention + rv : rv;
        };
        f["int"] = (st, v, a, k) => ToInt(v, Get(a, k, 0, "default", 0L), (int)Int(a, k, 1, "base", 10));
        f["items"] = (st, v, a, k) => v switch
        {
            Undefined => new List<object?>(),
            IDictionary<string, object?> d => d.Select(p => (object?)PyTuple.Pair(p.Key, p.Value)).ToList(),
            _ => throw Py.TypeError($"Can only get item pairs from a mapping."),
        };
        f["join"] = (st, v, a, k) =>
        {
            var sep = Str(st, a, k, 0, "d", string.Empty)!;
            var attribute = Get(a, k, 1, "attribute");
            var getter = attribute is null ? null : AttrGetter(st, attribute);
            var sb = new StringBuilder();
            var first = true;
            foreach (var item in Py.Iterate(st, v))
            {
                if (!first)
                {
                    sb.Append(sep);
                }
                first = false;
                sb.Append(Py.Str(st, getter is null ? item : getter(item)));
            }
            return sb.ToString();
        };
        f["last"] = (st, v, a, k) =>
        {
            var list = Py.ToList(st, v);
            return list.Count > 0 ? list[^1] : new Undefined(null, "No last item, sequence was empty.");
        };
        f["list"] = (st, v, a, k) => Py.ToList(st, v);
        f["lower"] = (st, v, a, k) => Py.Str(st, v).ToLowerInvariant();
        f["upper"] = (st, v, a, k) => Py.Str(st, v).ToUpperInvariant();
        f["map"] = Map;
        f["max"] = (st, v, a, k) => MinMax(st, v, true);
        f["min"] = (st, v, a, k) => MinMax(st, v, false);
        f["pprint"] = (st, v, a, k) => Py.Repr(v);
        f["reject"] = (st, v, a, k) => Select(st, v, a, k, false, false);
        f["rejectattr"] = (st, v, a, k) => Select(st, v, a, k, false, true);
        f["select"] = (st, v, a, k) => Select(st, v, a, k, true, false);
        f["selectattr"] = (st, v, a, k) => Select(st, v, a, k, true, true);
        f["replace"] = (st, v, a, k) =>
        {
            var s = Py.Str(st, v);
            var count = Has(a, k, 2, "count") ? Int(a, k, 2, "count", -1) : -1;
            return PyMethods.Replace(s, Py.Str(st, Get(a, k, 0, "old")), Py.Str(st, Get(a, k, 1, "new")), count);
        };
        f["reverse"] = (st, v, a, k) =>
        {
            if (v is string s)
            {
                var chars = s.ToCharArray();
                Array.Reverse(chars);
                return new string(chars);
            }
            var list = Py.ToList(st, v);
            list.Reverse();
            return list;
        };
        f["round"] = (st, v, a, k) =>
        {
            var precision = (int)Int(a, k, 0, "precision", 0);
            var method = Str(st, a, k, 1, "method", "common");
            if (!Py.TryNumber(v, out var l, out var d, out var isFloat))
            {
                throw Py.TypeError($"type {Py.TypeName(v)} doesn't define __round__ method");
            }
            var scale = Math.Pow(10, precision);
            switch (method)
            {
                case "common":
                    if (!isFloat)
                    {
                        return l;
                    }
                    return precision >= 0 && precision <= 15 ? Math.Round(d, precision, MidpointRounding.ToEven) : Math.Round(d * scale, MidpointRounding.ToEven) / scale;
                case "ceil": return Math.Ceiling(d * scale) / scale;
                case "floor": return Math.Floor(d * scale) / scale;
                default: throw new JinjaException(JinjaErrorKind.Runtime, "method must be common, ceil or floor");
            }
        };
        f["safe"] = (st, v, a, k) => v is string ? v : Py.Str(st, v);
        f["slice"] = (st, v, a, k) =>
        {
            var seq = Py.ToList(st, v);
            var requested = Int(a, k, 0, "slices", 1);
            if (requested == 0)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, "integer division or modulo by zero");
            }
            // One list per slice, so the count is bounded like any list (it was cast to int, and 2**62 became 0).
            JinjaLimits.CheckItems(requested, "the list of slices");
            if (requested < 0)
            {
                // Python: range(slices) is empty, so no slice at all.
                return new List<object?>();
            }
            var slices = (int)requested;
            var fill = Get(a, k, 1, "fill_with");
            var length = seq.Count;
            var perSlice = length / slices;
            var withExtra = length % slices;
            var offset = 0;
            var result = new List<object?>();
            for (var i = 0; i < slices; i++)
            {
                var start = offset + (i * perSlice);
                if (i < withExtra)
                {
                    offset++;
                }
                var end = offset + ((i + 1) * perSlice);
                var part = seq.GetRange(start, end - start);
                if (fill is not null && i >= withExtra)
                {
                    part.Add(fill);
                }
                result.Add(part);
            }
            return result;
        };
        f["sort"] = (st, v, a, k) =>
        {
            var reverse = Bool(st, a, k, 0, "reverse");
            var caseSensitive = Bool(st, a, k, 1, "case_sensitive");
            var attribute = Get(a, k, 2, "attribute");
            var items = Py.ToList(st, v);
            Func<object?, object?> key;
            if (attribute is string attrs && attrs.Contains(','))
            {
                var getters = attrs.Split(',').Select(p => AttrGetter(st, p.Trim(), null, !caseSensitive)).ToArray();
                key = item => new List<object?>(getters.Select(g => g(item)));
            }
            else
            {
                key = AttrGetter(st, attribute, null, !caseSensitive);
            }
            return StableSort(st, items, key, reverse);
        };
        f["string"] = (st, v, a, k) => Py.Str(st, v);
        f["striptags"] = (st, v, a, k) =>
        {
            var s = System.Text.RegularExpressions.Regex.Replace(Py.Str(st, v), @"<!--.*?-->|<[^>]*>", string.Empty, System.Text.RegularExpressions.RegexOptions.Singleline);
            s = string.Join(" ", PyMethods.Split(s, null, -1).Cast<string>());
            return HtmlUnescape(s);
        };
        f["sum"] = (st, v, a, k) =>
        {
            var attribute = Get(a, k, 0, "attribute");
            object? total = Get(a, k, 1, "start", 0L);
            var getter = attribute is null ? null : AttrGetter(st, attribute);
            foreach (var item in Py.Iterate(st, v))
            {
                total = Py.Add(total, getter is null ? item : getter(item));
            }
            return total;
        };
        f["title"] = (st, v, a, k) => JinjaTitle(Py.Str(st, v));
        f["trim"] = (st, v, a, k) => PyMethods.Strip(Py.Str(st, v), Str(st, a, k, 0, "chars"), true, true);
        f["truncate"] = (st, v, a, k) =>
        {
            var s = Py.Str(st, v);
            // long, not int: length + leeway overflowed for truncate(2147483647) and the cut ran past the string.
            var length = Int(a, k, 0, "length", 255);
            var killwords = Bool(st, a, k, 1, "killwords");
            var end = Str(st, a, k, 2, "end", "...")!;
            var leeway = Int(a, k, 3, "leeway", 5);
            if (length < end.Length)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, $"expected length >= {end.Length}, got {length}");
            }
            if (leeway < 0)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, $"expected leeway >= 0, got {leeway}");
            }
            if (s.Length - leeway <= length)
            {
                return s;
            }
            var cut = s[..(int)(length - end.Length)];
            if (killwords)
            {
                return cut + end;
            }
            var sp = cut.LastIndexOf(' ');
            return (sp >= 0 ? cut[..sp] : cut) + end;
        };
        f["unique"] = (st, v, a, k) =>
        {
            var caseSensitive = Bool(st, a, k, 0, "case_sensitive");
            var getter = AttrGetter(st, Get(a, k, 1, "attribute"), null, !caseSensitive);
            var seen = new List<object?>();
            var result = new List<object?>();
            foreach (var item in Py.Iterate(st, v))
            {
                var key = getter(item);
                if (!seen.Any(s => Py.Eq(st, s, key)))
                {
                    seen.Add(key);
                    result.Add(item);
                }
            }
            return result;
        };
        f["urlencode"] = (st, v, a, k) =>
        {
            if (v is IDictionary<string, object?> d)
            {
                return string.Join("&", d.Select(p => UrlQuote(p.Key, "") + "=" + UrlQuote(Py.Str(st, p.Value), "")));
            }
            return UrlQuote(Py.Str(st, v), "/");
        };
        f["wordcount"] = (st, v, a, k) =>
        {
            var s = Py.Str(st, v);
            long n = 0;
            var inWord = false;
            foreach (var c in s)
            {
                var w = char.IsLetterOrDigit(c) || c == '_';
                if (w && !inWord)
                {
                    n++;
                }
                inWord = w;
            }
            return n;
        };
        f["wordwrap"] = WordWrap;
        f["xmlattr"] = (st, v, a, k) =>
        {
            var autospace = Bool(st, a, k, 0, "autospace", true);
            if (v is not IDictionary<string, object?> d)
            {
                throw Py.TypeError($"'{Py.TypeName(v)}' object has no attribute 'items'");
            }
            var parts = d.Where(p => p.Value is not null && p.Value is not Undefined)
                .Select(p => $"{HtmlEscape(p.Key)}=\"{HtmlEscape(Py.Str(st, p.Value))}\"");
            var rv = string.Join(" ", parts);
            return autospace && rv.Length > 0 ? " " + rv : rv;
        };
    }

    public static List<object?> StableSort(RenderState st, List<object?> items, Func<object?, object?> key, bool reverse)
    {
        var keyed = items.Select((item, i) => (Key: key(item), Item: item, Index: i)).ToArray();
        Comparison<(object? Key, object? Item, int Index)> cmp = (x, y) =>
        {
            var c = Py.Compare(st, x.Key, y.Key, "<");
            if (reverse)
            {
                c = -c;
            }
            return c != 0 ? c : x.Index.CompareTo(y.Index);
        };
        try
        {
            Array.Sort(keyed, cmp);
        }
        catch (InvalidOperationException e) when (e.InnerException is JinjaException inner)
        {
            // Array.Sort wraps what the comparison throws ("'<' not supported between..."); the template needs that error.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
        }
        return keyed.Select(k => k.Item).ToList();
    }

    public static string HtmlEscape(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return s;
        }
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&#34;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    private static string HtmlUnescape(string s) => System.Net.WebUtility.HtmlDecode(s);

    private static string UrlQuote(string s, string safe)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "_.-~".Contains(c) || safe.Contains(c))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private static string JinjaTitle(string s)
    {
        var sb = new StringBuilder(s.Length);
        var atStart = true;
        foreach (var c in s)
        {
            var sep = char.IsWhiteSpace(c) || c is '-' or '(' or '{' or '[' or '<';
            if (sep)
            {
                sb.Append(c);
                atStart = true;
            }
            else
            {
                sb.Append(atStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
                atStart = false;
            }
        }
        return sb.ToString();
    }

    public static object? ToInt(object? v, object? def, int numberBase)
    {
        switch (v)
        {
            case long or int:
                return Convert.ToInt64(v, CultureInfo.InvariantCulture);
            case bool b:
                return b ? 1L : 0L;
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : def;
            case string s:
                var t = s.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
                if (numberBase == 10 && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }
                if (numberBase != 10)
                {
                    var neg = t.StartsWith('-');
                    var body = t.TrimStart('-', '+').ToLowerInvariant();
                    if ((numberBase == 16 && body.StartsWith("0x", StringComparison.Ordinal)) || (numberBase == 8 && body.StartsWith("0o", StringComparison.Ordinal)) || (numberBase == 2 && body.StartsWith("0b", StringComparison.Ordinal)))
                    {
                        body = body[2..];
                    }
                    try
                    {
                        var r = Convert.ToInt64(body, numberBase);
                        return neg ? -r : r;
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
                    {
                    }
                }
                if (TryParseFloat(s, out var fd) && double.IsFinite(fd))
                {
                    return (long)Math.Truncate(fd);
                }
                return def;
            default:
                return def;
        }
    }

    public static bool TryParseFloat(string s, out double d)
    {
        var t = s.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
        switch (t.ToLowerInvariant().TrimStart('+'))
        {
            case "inf":
            case "infinity": d = double.PositiveInfinity; return true;
            case "-inf":
            case "-infinity": d = double.NegativeInfinity; return true;
            case "nan":
            case "-nan": d = double.NaN; return true;
        }
        if (t.Length == 0 || t.Contains(',') || t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            d = 0;
            return false;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    public static object? ToFloat(object? v, object? def) => v switch
    {
        double d => d,
        long l => (double)l,
        int i => (double)i,
        bool b => b ? 1.0 : 0.0,
        string s => TryParseFloat(s, out var d) ? d : def,
        _ => def,
    };

    private static string FileSizeFormat(RenderState st, object? v, bool binary)
    {
        var bytes = Convert.ToDouble(ToFloat(v, 0.0), CultureInfo.InvariantCulture);
        var baseN = binary ? 1024.0 : 1000.0;
        string[] prefixes = binary
            ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
            : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        if (bytes == 1)
        {
            return "1 Byte";
        }
        if (bytes < baseN)
        {
            return ((long)bytes).ToString(CultureInfo.InvariantCulture) + " Bytes";
        }
        var unit = baseN;
        var prefix = prefixes[0];
        for (var i = 0; i < prefixes.Length; i++)
        {
            unit = Math.Pow(baseN, i + 2);
            prefix = prefixes[i];
            if (bytes < unit)
            {
                break;
            }
        }
        return (baseN * bytes / unit).ToString("F1", CultureInfo.InvariantCulture) + " " + prefix;
    }

    private static object? GroupBy(RenderState st, object? v, List<object?> a, Dictionary<string, object?> k)
    {
        var attribute = Get(a, k, 0, "attribute");
        var def = Get(a, k, 1, "default");
        var caseSensitive = Bool(st, a, k, 2, "case_sensitive");
        var keyFn = AttrGetter(st, attribute, def, !caseSensitive);
        var outFn = AttrGetter(st, attribute, def);
        var sorted = StableSort(st, Py.ToList(st, v), keyFn, false);
        var result = new List<object?>();
        List<object?>? group = null;
        object? groupKey = null;
        foreach (var item in sorted)
        {
            var key = keyFn(item);
            if (group is null || !Py.Eq(st, key, groupKey))
            {
                if (group is not null)
                {
                    result.Add(new PyTuple([outFn(group[0]), group], "_GroupTuple", ["grouper", "list"]));
                }
                group = new List<object?>();
                groupKey = key;
            }
            group.Add(item);
        }
        if (group is not null)
        {
            result.Add(new PyTuple([outFn(group[0]), group], "_GroupTuple", ["grouper", "list"]));
        }
        return result;
    }

    private static object? Map(RenderState st, object? v, List<object?> a, Dictionary<string, object?> k)
    {
        var items = Py.ToList(st, v);
        if (a.Count == 0 && k.ContainsKey("attribute"))
        {
            var getter = AttrGetter(st, k["attribute"], k.TryGetValue("default", out var d) ? d : null);
            return items.Select(getter).ToList();
        }
        if (a.Count == 0)
        {
            return items;
        }
        var name = Py.Str(st, a[0]);
        if (!st.Env.TryGetFilter(name, out var filter))
        {
            throw new JinjaException(JinjaErrorKind.Runtime, $"No filter named '{name}'.");
        }
        var rest = a.Skip(1).ToList();
        return items.Select(item => filter(st, item, rest, k)).ToList();
    }

    private static object? Select(RenderState st, object? v, List<object?> a, Dictionary<string, object?> k, bool select, bool byAttr)
    {
        var items = Py.ToList(st, v);
        var offset = 0;
        Func<object?, object?> getter = x => x;
        if (byAttr)
        {
            getter = AttrGetter(st, a.Count > 0 ? a[0] : null);
            offset = 1;
        }
        Func<object?, bool> check;
        if (a.Count > offset)
        {
            var name = Py.Str(st, a[offset]);
            if (!st.Env.TryGetTest(name, out var test))
            {
                throw new JinjaException(JinjaErrorKind.Runtime, $"No test named '{name}'.");
            }
            var rest = a.Skip(offset + 1).ToList();
            check = x => test(st, x, rest, k);
        }
        else
        {
            check = x => Py.Truthy(st, x);
        }
        return items.Where(item => check(getter(item)) == select).ToList();
    }

    /// <summary>Python's <c>min()</c>/<c>max()</c> over a sequence (Jinja's and Salt's <c>min</c>/<c>max</c> filters).</summary>
    internal static object? MinMax(RenderState st, object? v, bool max)
    {
        var items = Py.ToList(st, v);
        if (items.Count == 0)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, $"{(max ? "max" : "min")}() arg is an empty sequence");
        }
        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            var c = Py.Compare(st, item, best, max ? ">" : "<");
            if (max ? c > 0 : c < 0)
            {
                best = item;
            }
        }
        return best;
    }

    private static object? WordWrap(RenderState st, object? v, List<object?> a, Dictionary<string, object?> k)
    {
        var s = Py.Str(st, v);
        var requested = Int(a, k, 0, "width", 79);
        if (requested <= 0)
        {
            // Python's textwrap: ValueError; a width of 0 or less would also never finish breaking a word.
            throw new JinjaException(JinjaErrorKind.Runtime, $"invalid width {requested} (must be > 0)");
        }
        var width = JinjaLimits.Width(requested, "the line width");
        var breakLong = Bool(st, a, k, 1, "break_long_words", true);
        var wrapString = Str(st, a, k, 2, "wrapstring", "\n")!;
        var paragraphs = PyMethods.SplitLines(s, false).Cast<string>();
        var output = new List<string>();
        foreach (var para in paragraphs)
        {
            var words = PyMethods.Split(para.Replace('\t', ' '), null, -1).Cast<string>().ToList();
            var lines = new List<string>();
            var line = new StringBuilder();
            foreach (var word0 in words)
            {
                var word = word0;
                while (breakLong && word.Length > width)
                {
                    if (line.Length > 0)
                    {
                        var room = width - line.Length - 1;
                        if (room > 0)
                        {
                            line.Append(' ').Append(word[..room]);
                            word = word[room..];
                        }
                        lines.Add(line.ToString());
                        line.Clear();
                        continue;
                    }
                    lines.Add(word[..width]);
                    word = word[width..];
                }
                if (line.Length == 0)
                {
                    line.Append(word);
                }
                else if (line.Length + 1 + word.Length <= width)
                {
                    line.Append(' ').Append(word);
                }
                else
                {
                    lines.Add(line.ToString());
                    line.Clear().Append(word);
                }
            }
            if (line.Length > 0)
            {
                lines.Add(line.ToString());
            }
            output.Add(string.Join(wrapString, lines));
        }
        return string.Join(wrapString, output);
    }
}
