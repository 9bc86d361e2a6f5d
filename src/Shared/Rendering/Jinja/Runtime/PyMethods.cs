using System.Globalization;
using System.Text;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>Python attributes and the methods templates commonly call on str, dict and list.</summary>
internal static class PyMethods
{
    private static readonly HashSet<string> _strMethods = new(StringComparer.Ordinal)
    {
        "upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "replace",
        "format", "join", "find", "rfind", "index", "rindex", "count", "capitalize", "title", "isdigit", "isalpha", "isalnum",
        "isspace", "isupper", "islower", "isnumeric", "isdecimal", "center", "ljust", "rjust", "zfill", "partition", "rpartition",
        "casefold", "swapcase", "removeprefix", "removesuffix", "encode", "decode",
    };

    private static readonly HashSet<string> _dictMethods = new(StringComparer.Ordinal)
    {
        "items", "keys", "values", "get", "update", "pop", "setdefault", "copy", "clear", "popitem",
    };

    private static readonly HashSet<string> _listMethods = new(StringComparer.Ordinal)
    {
        "append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "sort", "copy", "clear",
    };

    public static bool TryGetAttribute(object? obj, string name, out object? value)
    {
        value = null;
        if (name.Length > 0 && name[0] == '_')
        {
            return false;
        }
        switch (obj)
        {
            case LoopContext loop:
                return loop.TryGetAttribute(name, out value);
            case Namespace ns:
                return ns.Attributes.TryGetValue(name, out value);
            case TemplateModule module:
                return module.Exports.TryGetValue(name, out value);
            case PyTuple tuple:
                if (tuple.TryGetField(name, out value))
                {
                    return true;
                }
                if (name is "index" or "count")
                {
                    value = ListMethod(tuple.Items.ToList(), name);
                    return true;
                }
                return false;
            case string s when _strMethods.Contains(name):
                value = StrMethod(s, name);
                return true;
            case IDictionary<string, object?> d when _dictMethods.Contains(name):
                value = DictMethod(d, name);
                return true;
            case List<object?> l when _listMethods.Contains(name):
                value = ListMethod(l, name);
                return true;
            case Macro m:
                switch (name)
                {
                    case "name": value = m.Name; return true;
                    case "arguments": value = new PyTuple(m.Def.Params.Cast<object?>().ToArray()); return true;
                    case "catch_kwargs": value = m.Def.UsesKwargs; return true;
                    case "catch_varargs": value = m.Def.UsesVarargs; return true;
                    case "caller": value = m.Def.UsesCaller; return true;
                }
                return false;
            case double d:
                if (name == "is_integer")
                {
                    value = new BoundMethod(name, d, (st, a, k) => Math.Floor(d) == d && !double.IsInfinity(d));
                    return true;
                }
                if (name is "real")
                {
                    value = d;
                    return true;
                }
                return false;
            case long l when name is "real" or "numerator":
                value = l;
                return true;
        }
        return false;
    }

    private static object? Arg(List<object?> args, Dictionary<string, object?> kw, int i, string name, object? def = null)
    {
        if (i < args.Count)
        {
            return args[i];
        }
        return kw.TryGetValue(name, out var v) ? v : def;
    }

    private static long? IntArg(object? v) => v switch
    {
        null => null,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        _ => throw Py.TypeError($"'{Py.TypeName(v)}' object cannot be interpreted as an integer"),
    };

    private static string StrArg(RenderState st, object? v, string method) =>
        v as string ?? throw Py.TypeError($"{method}() argument must be str, not {Py.TypeName(v)}");

    private static bool IsPySpace(char c) => char.IsWhiteSpace(c) || c is '\x1c' or '\x1d' or '\x1e' or '\x1f';

    public static string Strip(string s, string? chars, bool left, bool right)
    {
        var start = 0;
        var end = s.Length;
        Func<char, bool> strip = chars is null ? IsPySpace : c => chars.Contains(c);
        if (left)
        {
            while (start < end && strip(s[start]))
            {
                start++;
            }
        }
        if (right)
        {
            while (end > start && strip(s[end - 1]))
            {
                end--;
            }
        }
        return s[start..end];
    }

    public static List<object?> Split(string s, string? sep, long maxsplit)
    {
        var result = new List<object?>();
        if (sep is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && IsPySpace(s[i]))
                {
                    i++;
                }
                if (i >= s.Length)
                {
                    break;
                }
                if (maxsplit >= 0 && result.Count >= maxsplit)
                {
                    result.Add(Strip(s[i..], null, false, true));
                    break;
                }
                var j = i;
                while (j < s.Length && !IsPySpace(s[j]))
                {
                    j++;
                }
                result.Add(s[i..j]);
                i = j;
            }
            return result;
        }
        if (sep.Length == 0)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "empty separator");
        }
        var pos = 0;
        while (maxsplit < 0 || result.Count < maxsplit)
        {
            var k = s.IndexOf(sep, pos, StringComparison.Ordinal);
            if (k < 0)
            {
                break;
            }
            result.Add(s[pos..k]);
            pos = k + sep.Length;
        }
        result.Add(s[pos..]);
        return result;
    }

    private static List<object?> RSplit(string s, string? sep, long maxsplit)
    {
        if (maxsplit < 0)
        {
            return Split(s, sep, -1);
        }
        var result = new List<object?>();
        if (sep is null)
        {
            var i = s.Length;
            while (true)
            {
                while (i > 0 && IsPySpace(s[i - 1]))
                {
                    i--;
                }
                if (i <= 0)
                {
                    break;
                }
                if (result.Count >= maxsplit)
                {
                    result.Add(Strip(s[..i], null, true, false));
                    break;
                }
                var j = i;
                while (j > 0 && !IsPySpace(s[j - 1]))
                {
                    j--;
                }
                result.Add(s[j..i]);
                i = j;
            }
            result.Reverse();
            return result;
        }
        var end = s.Length;
        while (result.Count < maxsplit)
        {
            var k = end - sep.Length < 0 ? -1 : s.LastIndexOf(sep, end - 1, end, StringComparison.Ordinal);
            if (k < 0 || k + sep.Length > end)
            {
                break;
            }
            result.Add(s[(k + sep.Length)..end]);
            end = k;
        }
        result.Add(s[..end]);
        result.Reverse();
        return result;
    }

    public static List<object?> SplitLines(string s, bool keepEnds)
    {
        var result = new List<object?>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            var isBreak = c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';
            if (!isBreak)
            {
                i++;
                continue;
            }
            var eol = i + 1;
            if (c == '\r' && eol < s.Length && s[eol] == '\n')
            {
                eol++;
            }
            result.Add(keepEnds ? s[start..eol] : s[start..i]);
            start = i = eol;
        }
        if (start < s.Length)
        {
            result.Add(s[start..]);
        }
        return result;
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prevCased = false;
        foreach (var c in s)
        {
            if (char.IsLetter(c))
            {
                sb.Append(prevCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
                prevCased = true;
            }
            else
            {
                sb.Append(c);
                prevCased = false;
            }
        }
        return sb.ToString();
    }

    public static string Center(string s, int width, char fill = ' ')
    {
        var marg = width - s.Length;
        if (marg <= 0)
        {
            return s;
        }
        var left = (marg / 2) + (marg & width & 1);
        return new string(fill, left) + s + new string(fill, marg - left);
    }

    private static bool MatchAffix(RenderState st, string s, object? affix, bool start)
    {
        if (affix is PyTuple t)
        {
            return t.Items.Any(a => MatchAffix(st, s, a, start));
        }
        var str = affix as string ?? throw Py.TypeError($"{(start ? "startswith" : "endswith")} first arg must be str or a tuple of str, not {Py.TypeName(affix)}");
        return start ? s.StartsWith(str, StringComparison.Ordinal) : s.EndsWith(str, StringComparison.Ordinal);
    }

    public static BoundMethod GetStr(string s, string name) => StrMethod(s, name);

    private static BoundMethod StrMethod(string s, string name) => new(name, s, (st, a, k) =>
    {
        switch (name)
        {
            case "upper": return s.ToUpperInvariant();
            case "lower":
            case "casefold": return s.ToLowerInvariant();
            case "strip": return Strip(s, Arg(a, k, 0, "chars") as string, true, true);
            case "lstrip": return Strip(s, Arg(a, k, 0, "chars") as string, true, false);
            case "rstrip": return Strip(s, Arg(a, k, 0, "chars") as string, false, true);
            case "split": return Split(s, Arg(a, k, 0, "sep") as string, IntArg(Arg(a, k, 1, "maxsplit")) ?? -1);
            case "rsplit": return RSplit(s, Arg(a, k, 0, "sep") as string, IntArg(Arg(a, k, 1, "maxsplit")) ?? -1);
            case "splitlines": return SplitLines(s, Py.Truthy(st, Arg(a, k, 0, "keepends", false)));
            case "startswith": return MatchAffix(st, s, Arg(a, k, 0, "prefix"), true);
            case "endswith": return MatchAffix(st, s, Arg(a, k, 0, "suffix"), false);
            case "replace":
                {
                    var old = StrArg(st, Arg(a, k, 0, "old"), "replace");
                    var @new = StrArg(st, Arg(a, k, 1, "new"), "replace");
                    var count = IntArg(Arg(a, k, 2, "count")) ?? -1;
                    return Replace(s, old, @new, count);
                }
            case "format": return PyFormat.Format(st, s, a, k);
            case "join":
                return string.Join(s, Py.Iterate(st, Arg(a, k, 0, "iterable")).Select(x => x as string
                    ?? throw Py.TypeError($"sequence item: expected str instance, {Py.TypeName(x)} found")));
            case "find":
            case "index":
                {
                    var sub = StrArg(st, Arg(a, k, 0, "sub"), name);
                    var start = (int)(IntArg(Arg(a, k, 1, "start")) ?? 0);
                    var i = start <= s.Length ? s.IndexOf(sub, Math.Max(0, start), StringComparison.Ordinal) : -1;
                    if (i < 0 && name == "index")
                    {
                        throw new JinjaException(JinjaErrorKind.Runtime, "substring not found");
                    }
                    return (long)i;
                }
            case "rfind":
            case "rindex":
                {
                    var i = s.LastIndexOf(StrArg(st, Arg(a, k, 0, "sub"), name), StringComparison.Ordinal);
                    if (i < 0 && name == "rindex")
                    {
                        throw new JinjaException(JinjaErrorKind.Runtime, "substring not found");
                    }
                    return (long)i;
                }
            case "count":
                {
                    var sub = StrArg(st, Arg(a, k, 0, "sub"), name);
                    if (sub.Length == 0)
                    {
                        return (long)(s.Length + 1);
                    }
                    long n = 0;
                    for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
                    {
                        n++;
                    }
                    return n;
                }
            case "capitalize": return Capitalize(s);
            case "title": return Title(s);
            case "isdigit":
            case "isnumeric":
            case "isdecimal": return s.Length > 0 && s.All(char.IsDigit);
            case "isalpha": return s.Length > 0 && s.All(char.IsLetter);
            case "isalnum": return s.Length > 0 && s.All(char.IsLetterOrDigit);
            case "isspace": return s.Length > 0 && s.All(IsPySpace);
            case "isupper": return s.Any(char.IsLetter) && !s.Any(char.IsLower);
            case "islower": return s.Any(char.IsLetter) && !s.Any(char.IsUpper);
            case "center": return Center(s, JinjaLimits.Width(IntArg(Arg(a, k, 0, "width")) ?? 0, "the padded string"), (Arg(a, k, 1, "fillchar") as string ?? " ")[0]);
            case "ljust":
                {
                    var w = JinjaLimits.Width(IntArg(Arg(a, k, 0, "width")) ?? 0, "the padded string");
                    return s.PadRight(Math.Max(w, s.Length), (Arg(a, k, 1, "fillchar") as string ?? " ")[0]);
                }
            case "rjust":
                {
                    var w = JinjaLimits.Width(IntArg(Arg(a, k, 0, "width")) ?? 0, "the padded string");
                    return s.PadLeft(Math.Max(w, s.Length), (Arg(a, k, 1, "fillchar") as string ?? " ")[0]);
                }
            case "zfill":
                {
                    var w = JinjaLimits.Width(IntArg(Arg(a, k, 0, "width")) ?? 0, "the padded string");
                    if (s.Length >= w)
                    {
                        return s;
                    }
                    var sign = s.Length > 0 && (s[0] == '-' || s[0] == '+') ? s[..1] : string.Empty;
                    return sign + new string('0', w - s.Length) + s[sign.Length..];
                }
            case "partition":
            case "rpartition":
                {
                    var sep = StrArg(st, Arg(a, k, 0, "sep"), name);
                    var i = name == "partition" ? s.IndexOf(sep, StringComparison.Ordinal) : s.LastIndexOf(sep, StringComparison.Ordinal);
                    if (i < 0)
                    {
                        return name == "partition" ? new PyTuple([s, string.Empty, string.Empty]) : new PyTuple([string.Empty, string.Empty, s]);
                    }
                    return new PyTuple([s[..i], sep, s[(i + sep.Length)..]]);
                }
            case "swapcase": return new string(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray());
            case "removeprefix":
                {
                    var p = StrArg(st, Arg(a, k, 0, "prefix"), name);
                    return s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s;
                }
            case "removesuffix":
                {
                    var p = StrArg(st, Arg(a, k, 0, "suffix"), name);
                    return p.Length > 0 && s.EndsWith(p, StringComparison.Ordinal) ? s[..^p.Length] : s;
                }
            default: return s;
        }
    });

    public static string Replace(string s, string old, string @new, long count)
    {
        if (count < 0)
        {
            if (old.Length == 0)
            {
                var sb0 = new StringBuilder(@new);
                foreach (var c in s)
                {
                    sb0.Append(c).Append(@new);
                }
                return sb0.ToString();
            }
            return s.Replace(old, @new, StringComparison.Ordinal);
        }
        var sb = new StringBuilder();
        var pos = 0;
        for (var n = 0; n < count; n++)
        {
            var i = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (i < 0 || old.Length == 0)
            {
                break;
            }
            sb.Append(s, pos, i - pos).Append(@new);
            pos = i + old.Length;
        }
        sb.Append(s, pos, s.Length - pos);
        return sb.ToString();
    }

    private static BoundMethod DictMethod(IDictionary<string, object?> d, string name) => new(name, d, (st, a, k) =>
    {
        switch (name)
        {
            case "items":
            case "keys":
            case "values": return new DictView(d, name);
            case "get":
                {
                    var key = Arg(a, k, 0, "key");
                    var def = Arg(a, k, 1, "default");
                    if (key is string ks)
                    {
                        return d.TryGetValue(ks, out var v) ? v : def;
                    }
                    return key is long or bool or double && d.TryGetValue(Data.DataTree.KeyToString(key), out var v2) ? v2 : def;
                }
            case "update":
                foreach (var src in a)
                {
                    if (src is IDictionary<string, object?> other)
                    {
                        foreach (var pair in other.ToList())
                        {
                            d[pair.Key] = pair.Value;
                        }
                    }
                    else
                    {
                        var index = 0;
                        foreach (var item in Py.Iterate(st, src))
                        {
                            var pair = Py.UpdatePair(st, item, index++);
                            d[Py.Str(st, pair[0])] = pair[1];
                        }
                    }
                }
                foreach (var pair in k)
                {
                    d[pair.Key] = pair.Value;
                }
                return null;
            case "pop":
                {
                    var key = Py.Str(st, Arg(a, k, 0, "key"));
                    if (d.TryGetValue(key, out var v))
                    {
                        d.Remove(key);
                        return v;
                    }
                    if (a.Count > 1)
                    {
                        return a[1];
                    }
                    throw new JinjaException(JinjaErrorKind.Runtime, Py.Repr(key));
                }
            case "setdefault":
                {
                    var key = Py.Str(st, Arg(a, k, 0, "key"));
                    if (!d.TryGetValue(key, out var v))
                    {
                        v = Arg(a, k, 1, "default");
                        d[key] = v;
                    }
                    return v;
                }
            case "copy": return new Dictionary<string, object?>(d, StringComparer.Ordinal);
            case "clear": d.Clear(); return null;
            default:
                {
                    if (d.Count == 0)
                    {
                        throw new JinjaException(JinjaErrorKind.Runtime, "'popitem(): dictionary is empty'");
                    }
                    var last = d.Last();
                    d.Remove(last.Key);
                    return PyTuple.Pair(last.Key, last.Value);
                }
        }
    });

    private static BoundMethod ListMethod(List<object?> l, string name) => new(name, l, (st, a, k) =>
    {
        switch (name)
        {
            case "append": l.Add(Arg(a, k, 0, "object")); return null;
            case "extend": l.AddRange(Py.ToList(st, Arg(a, k, 0, "iterable"))); return null;
            case "insert":
                {
                    var i = (int)(IntArg(Arg(a, k, 0, "index")) ?? 0);
                    if (i < 0)
                    {
                        i = Math.Max(0, i + l.Count);
                    }
                    l.Insert(Math.Min(i, l.Count), Arg(a, k, 1, "object"));
                    return null;
                }
            case "pop":
                {
                    if (l.Count == 0)
                    {
                        throw new JinjaException(JinjaErrorKind.Runtime, "pop from empty list");
                    }
                    var i = (int)(IntArg(Arg(a, k, 0, "index")) ?? -1);
                    if (i < 0)
                    {
                        i += l.Count;
                    }
                    if (i < 0 || i >= l.Count)
                    {
                        throw new JinjaException(JinjaErrorKind.Runtime, "pop index out of range");
                    }
                    var v = l[i];
                    l.RemoveAt(i);
                    return v;
                }
            case "remove":
                {
                    var x = Arg(a, k, 0, "value");
                    var i = l.FindIndex(v => Py.Eq(st, v, x));
                    if (i < 0)
                    {
                        throw new JinjaException(JinjaErrorKind.Runtime, "list.remove(x): x not in list");
                    }
                    l.RemoveAt(i);
                    return null;
                }
            case "index":
                {
                    var x = Arg(a, k, 0, "value");
                    var i = l.FindIndex(v => Py.Eq(st, v, x));
                    if (i < 0)
                    {
                        throw new JinjaException(JinjaErrorKind.Runtime, $"{Py.Repr(x)} is not in list");
                    }
                    return (long)i;
                }
            case "count":
                {
                    var x = Arg(a, k, 0, "value");
                    return (long)l.Count(v => Py.Eq(st, v, x));
                }
            case "reverse": l.Reverse(); return null;
            case "sort":
                {
                    var sorted = Builtins.CoreFilters.StableSort(st, l, x => x, Py.Truthy(st, Arg(a, k, 99, "reverse", false)));
                    l.Clear();
                    l.AddRange(sorted);
                    return null;
                }
            case "copy": return new List<object?>(l);
            default: l.Clear(); return null;
        }
    });

    public static string FormatInvariant(long v) => v.ToString(CultureInfo.InvariantCulture);
}
