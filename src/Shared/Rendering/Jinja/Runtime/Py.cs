using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>Python value semantics over the data model: printing, truth, equality, ordering, arithmetic, lookups.</summary>
internal static class Py
{
    public static readonly Dictionary<string, object?> NoKwargs = new(StringComparer.Ordinal);

    private static readonly object _unhashable = new();

    public static JinjaException TypeError(string message) => new(JinjaErrorKind.Runtime, message);

    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        bool => "bool",
        long or int => "int",
        double or float => "float",
        string => "str",
        List<object?> => "list",
        PyTuple t => t.TypeName ?? "tuple",
        IDictionary<string, object?> => "dict",
        DictView dv => "dict_" + dv.Kind,
        Undefined => "Undefined",
        Namespace => "Namespace",
        TemplateModule => "TemplateModule",
        Macro => "Macro",
        LoopContext => "LoopContext",
        BoundMethod => "builtin_function_or_method",
        JinjaCallable or ICallableValue => "function",
        IJinjaIndexable or IndexablePath => "dict",
        _ => v.GetType().Name,
    };

    public static bool IsCallable(object? v) => v is JinjaCallable or ICallableValue;

    public static bool IsNumber(object? v) => v is long or double or bool or int or float;

    public static bool IsInteger(object? v) => v is long or int;

    public static bool IsString(object? v) => v is string;

    public static bool IsMapping(object? v) => v is IDictionary<string, object?> or IJinjaIndexable or IndexablePath;

    public static bool IsSequenceLike(object? v) => v is string or List<object?> or PyTuple or IDictionary<string, object?> or DictView;

    // ---- conversion to text ----
    public static string Str(RenderState st, object? v)
    {
        switch (v)
        {
            case string s: return s;
            case Undefined u:
                if (u.Fails(st))
                {
                    throw u.Error();
                }
                return string.Empty;
            case TemplateModule m: return m.Body;
            default: return Repr(v);
        }
    }

    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, v);
        return sb.ToString();
    }

    public static void AppendRepr(StringBuilder sb, object? v) => AppendRepr(sb, v, null);

    // open: the lists and mappings being printed, so one that contains itself prints as [...] or {...}, as in Python.
    private static void AppendRepr(StringBuilder sb, object? v, HashSet<object>? open)
    {
        EnsureStack();
        if (v is List<object?> or IDictionary<string, object?>)
        {
            open ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
            if (!open.Add(v))
            {
                sb.Append(v is List<object?> ? "[...]" : "{...}");
                return;
            }
        }
        switch (v)
        {
            case null: sb.Append("None"); break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(FloatRepr(d)); break;
            case float f: sb.Append(FloatRepr(f)); break;
            case string s: AppendStringRepr(sb, s); break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    AppendRepr(sb, list[i], open);
                }
                sb.Append(']');
                break;
            case PyTuple t:
                if (t.FieldNames is not null)
                {
                    sb.Append(t.TypeName).Append('(');
                    for (var i = 0; i < t.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(", ");
                        }
                        sb.Append(t.FieldNames[i]).Append('=');
                        AppendRepr(sb, t[i], open);
                    }
                    sb.Append(')');
                    break;
                }
                sb.Append('(');
                for (var i = 0; i < t.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    AppendRepr(sb, t[i], open);
                }
                if (t.Count == 1)
                {
                    sb.Append(',');
                }
                sb.Append(')');
                break;
            case IDictionary<string, object?> dict:
                sb.Append('{');
                var first = true;
                foreach (var pair in dict)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }
                    first = false;
                    AppendStringRepr(sb, pair.Key);
                    sb.Append(": ");
                    AppendRepr(sb, pair.Value, open);
                }
                sb.Append('}');
                break;
            case DictView view:
                sb.Append("dict_").Append(view.Kind).Append("([");
                var firstItem = true;
                foreach (var item in view)
                {
                    if (!firstItem)
                    {
                        sb.Append(", ");
                    }
                    firstItem = false;
                    AppendRepr(sb, item, open);
                }
                sb.Append("])");
                break;
            case Undefined: sb.Append("Undefined"); break;
            case Namespace ns:
                sb.Append("<Namespace ");
                AppendRepr(sb, ns.Attributes, open);
                sb.Append('>');
                break;
            case Macro m: sb.Append("<Macro '").Append(m.Name).Append("'>"); break;
            case TemplateModule tm: sb.Append("<TemplateModule '").Append(tm.Name).Append("'>"); break;
            case BoundMethod bm: sb.Append("<built-in method ").Append(bm.Name).Append(" of ").Append(TypeName(bm.Self)).Append(" object>"); break;
            case LoopContext lc: sb.Append("<LoopContext ").Append(lc.Index.ToString(CultureInfo.InvariantCulture)).Append('/').Append(lc.Length.ToString(CultureInfo.InvariantCulture)).Append('>'); break;
            case JinjaCallable or ICallableValue: sb.Append("<function>"); break;
            case IFormattable f: sb.Append(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: sb.Append(v.ToString()); break;
        }
        if (v is List<object?> or IDictionary<string, object?>)
        {
            open!.Remove(v);
        }
    }

    /// <summary>Python's <c>repr(str)</c> as the engine prints it: only control characters are escaped (see
    /// <see cref="Output.PyFormat.AppendStringRepr"/>).</summary>
    public static void AppendStringRepr(StringBuilder sb, string s) => Output.PyFormat.AppendStringRepr(sb, s, onlyControls: true);

    public static string FloatRepr(double d) => Output.PyFormat.FloatRepr(d);

    // ---- truth, equality, ordering ----
    public static bool Truthy(RenderState st, object? v)
    {
        switch (v)
        {
            case null: return false;
            case bool b: return b;
            case long l: return l != 0;
            case double d: return d != 0;
            case int i: return i != 0;
            case string s: return s.Length > 0;
            case List<object?> list: return list.Count > 0;
            case PyTuple t: return t.Count > 0;
            case IDictionary<string, object?> dict: return dict.Count > 0;
            case DictView dv: return dv.Count > 0;
            case Undefined u:
                if (u.Fails(st))
                {
                    throw u.Error();
                }
                return false;
            case ICollection c: return c.Count > 0;
            default: return true;
        }
    }

    public static bool TryNumber(object? v, out long l, out double d, out bool isFloat)
    {
        switch (v)
        {
            case long x: l = x; d = x; isFloat = false; return true;
            case bool b: l = b ? 1 : 0; d = l; isFloat = false; return true;
            case double x: l = 0; d = x; isFloat = true; return true;
            case int x: l = x; d = x; isFloat = false; return true;
            case float x: l = 0; d = x; isFloat = true; return true;
            default: l = 0; d = 0; isFloat = false; return false;
        }
    }

    /// <summary>Python's RecursionError, for walks over values nested too deeply (or containing themselves) for the stack.</summary>
    public static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "maximum recursion depth exceeded");
        }
    }

    /// <summary>One (key, value) element of what <c>dict()</c> or <c>update()</c> is given, checked as Python does.</summary>
    public static List<object?> UpdatePair(RenderState st, object? item, int index)
    {
        var pair = ToList(st, item);
        return pair.Count == 2
            ? pair
            : throw new JinjaException(
                JinjaErrorKind.Runtime, $"dictionary update sequence element #{index} has length {pair.Count}; 2 is required");
    }

    /// <summary>The key Python's set or dict would use: 1, 1.0 and True are one; false for NaN and for containers.</summary>
    public static bool TryHashKey(object? value, out object? key)
    {
        key = value switch
        {
            null or string or long => value,
            bool b => b ? 1L : 0L,
            int i => (long)i,
            double d when Math.Floor(d) == d && d >= long.MinValue && d < long.MaxValue => (long)d,
            double d when !double.IsNaN(d) => d,
            _ => _unhashable,
        };
        return !ReferenceEquals(key, _unhashable);
    }

    public static bool Eq(RenderState st, object? a, object? b)
    {
        EnsureStack();
        if (a is Undefined ua)
        {
            if (ua.Fails(st))
            {
                throw ua.Error();
            }
            return b is Undefined;
        }
        if (b is Undefined ub)
        {
            if (ub.Fails(st))
            {
                throw ub.Error();
            }
            return false;
        }
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        if (a is string sa)
        {
            return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
        }
        if (TryNumber(a, out var la, out var da, out var fa))
        {
            if (!TryNumber(b, out var lb, out var db, out var fb))
            {
                return false;
            }
            return fa || fb ? da == db : la == lb;
        }
        switch (a)
        {
            // Python compares containers' items by identity first, so a list that contains itself equals itself.
            case List<object?> or PyTuple or IDictionary<string, object?> when ReferenceEquals(a, b):
                return true;
            case List<object?> listA:
                return b is List<object?> listB && SeqEq(st, listA, listB);
            case PyTuple ta:
                return b is PyTuple tb && SeqEq(st, ta, tb);
            case IDictionary<string, object?> da2:
                if (b is not IDictionary<string, object?> db2 || da2.Count != db2.Count)
                {
                    return false;
                }
                foreach (var pair in da2)
                {
                    if (!db2.TryGetValue(pair.Key, out var other) || !Eq(st, pair.Value, other))
                    {
                        return false;
                    }
                }
                return true;
        }
        return ReferenceEquals(a, b) || a.Equals(b);
    }

    private static bool SeqEq(RenderState st, IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!Eq(st, a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    public static int Compare(RenderState st, object? a, object? b, string op)
    {
        EnsureStack();
        if (a is Undefined ua)
        {
            throw ua.Error();
        }
        if (b is Undefined ub)
        {
            throw ub.Error();
        }
        if (TryNumber(a, out var la, out var da, out var fa) && TryNumber(b, out var lb, out var db, out var fb))
        {
            return fa || fb ? da.CompareTo(db) : la.CompareTo(lb);
        }
        if (a is string sa && b is string sb)
        {
            return Math.Sign(string.CompareOrdinal(sa, sb));
        }
        if ((a is List<object?> && b is List<object?>) || (a is PyTuple && b is PyTuple))
        {
            var x = (IReadOnlyList<object?>)a;
            var y = (IReadOnlyList<object?>)b;
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (!Eq(st, x[i], y[i]))
                {
                    return Compare(st, x[i], y[i], op);
                }
            }
            return x.Count.CompareTo(y.Count);
        }
        throw TypeError($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    // ---- arithmetic ----
    private static void CheckUndefined(object? a, object? b)
    {
        if (a is Undefined ua)
        {
            throw ua.Error();
        }
        if (b is Undefined ub)
        {
            throw ub.Error();
        }
    }

    private static JinjaException Unsupported(string op, object? a, object? b) =>
        TypeError($"unsupported operand type(s) for {op}: '{TypeName(a)}' and '{TypeName(b)}'");

    public static object? Add(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (TryNumber(a, out var la, out var da, out var fa) && TryNumber(b, out var lb, out var db, out var fb))
        {
            return fa || fb ? (object)(da + db) : unchecked(la + lb);
        }
        switch (a)
        {
            case string sa:
                if (b is string sb)
                {
                    JinjaLimits.Check((long)sa.Length + sb.Length, "the string");
                    return string.Concat(sa, sb);
                }
                throw TypeError($"can only concatenate str (not \"{TypeName(b)}\") to str");
            case List<object?> listA:
                if (b is List<object?> listB)
                {
                    JinjaLimits.CheckItems((long)listA.Count + listB.Count, "the list");
                    var r = new List<object?>(listA.Count + listB.Count);
                    r.AddRange(listA);
                    r.AddRange(listB);
                    return r;
                }
                throw TypeError($"can only concatenate list (not \"{TypeName(b)}\") to list");
            case PyTuple ta:
                if (b is PyTuple tb)
                {
                    return new PyTuple([.. ta.Items, .. tb.Items]);
                }
                throw TypeError($"can only concatenate tuple (not \"{TypeName(b)}\") to tuple");
        }
        throw Unsupported("+", a, b);
    }

    public static object? Sub(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (TryNumber(a, out var la, out var da, out var fa) && TryNumber(b, out var lb, out var db, out var fb))
        {
            return fa || fb ? (object)(da - db) : unchecked(la - lb);
        }
        throw Unsupported("-", a, b);
    }

    public static object? Mul(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (TryNumber(a, out var la, out var da, out var fa) && TryNumber(b, out var lb, out var db, out var fb))
        {
            return fa || fb ? (object)(da * db) : unchecked(la * lb);
        }
        if (a is long or bool or int && b is not (double or float))
        {
            (a, b) = (b, a);
        }
        if (TryNumber(b, out var n, out _, out var nf) && !nf)
        {
            switch (a)
            {
                case string s:
                    if (n <= 0 || s.Length == 0)
                    {
                        return string.Empty;
                    }
                    JinjaLimits.CheckRepeat(n, s.Length, "the repeated string");
                    var sb = new StringBuilder(s.Length * (int)n);
                    for (var i = 0; i < n; i++)
                    {
                        sb.Append(s);
                    }
                    return sb.ToString();
                case List<object?> list:
                    JinjaLimits.CheckRepeatedItems(n, list.Count, "the repeated list");
                    var r = new List<object?>();
                    for (var i = 0; list.Count > 0 && i < n; i++)
                    {
                        r.AddRange(list);
                    }
                    return r;
                case PyTuple t:
                    JinjaLimits.CheckRepeatedItems(n, t.Count, "the repeated tuple");
                    var items = new List<object?>();
                    for (var i = 0; t.Count > 0 && i < n; i++)
                    {
                        items.AddRange(t.Items);
                    }
                    return new PyTuple(items.ToArray());
            }
        }
        if (a is string or List<object?> or PyTuple)
        {
            throw TypeError($"can't multiply sequence by non-int of type '{TypeName(b)}'");
        }
        throw Unsupported("*", a, b);
    }

    public static object? Div(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (TryNumber(a, out _, out var da, out _) && TryNumber(b, out _, out var db, out var fb))
        {
            if (db == 0)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, fb ? "float division by zero" : "division by zero");
            }
            return da / db;
        }
        throw Unsupported("/", a, b);
    }

    public static object? FloorDiv(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (TryNumber(a, out var la, out var da, out var fa) && TryNumber(b, out var lb, out var db, out var fb))
        {
            if (fa || fb)
            {
                if (db == 0)
                {
                    throw new JinjaException(JinjaErrorKind.Runtime, "float floor division by zero");
                }
                return Math.Floor(da / db);
            }
            if (lb == 0)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, "integer division or modulo by zero");
            }
            var q = la / lb;
            if ((la % lb != 0) && ((la < 0) != (lb < 0)))
            {
                q--;
            }
            return q;
        }
        throw Unsupported("//", a, b);
    }

    public static object? Mod(RenderState st, object? a, object? b)
    {
        if (a is string fmt)
        {
            CheckUndefined(null, b);
            return PyFormat.Percent(st, fmt, b);
        }
        CheckUndefined(a, b);
        if (TryNumber(a, out var la, out var da, out var fa) && TryNumber(b, out var lb, out var db, out var fb))
        {
            if (fa || fb)
            {
                if (db == 0)
                {
                    throw new JinjaException(JinjaErrorKind.Runtime, "float modulo");
                }
                var m = da % db;
                if (m != 0 && (m < 0) != (db < 0))
                {
                    m += db;
                }
                return m;
            }
            if (lb == 0)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, "integer division or modulo by zero");
            }
            var r = la % lb;
            if (r != 0 && (r < 0) != (lb < 0))
            {
                r += lb;
            }
            return r;
        }
        throw Unsupported("%", a, b);
    }

    public static object? Pow(object? a, object? b)
    {
        CheckUndefined(a, b);
        if (TryNumber(a, out var la, out var da, out var fa) && TryNumber(b, out var lb, out var db, out var fb))
        {
            if (!fa && !fb && lb >= 0)
            {
                long result = 1;
                var bas = la;
                var e = lb;
                while (e > 0)
                {
                    if ((e & 1) == 1)
                    {
                        result = unchecked(result * bas);
                    }
                    bas = unchecked(bas * bas);
                    e >>= 1;
                }
                return result;
            }
            return Math.Pow(da, db);
        }
        throw Unsupported("** or pow()", a, b);
    }

    public static object? Neg(object? a)
    {
        CheckUndefined(a, null);
        if (TryNumber(a, out var l, out var d, out var f))
        {
            return f ? (object)(-d) : -l;
        }
        throw TypeError($"bad operand type for unary -: '{TypeName(a)}'");
    }

    public static object? Pos(object? a)
    {
        CheckUndefined(a, null);
        if (TryNumber(a, out var l, out var d, out var f))
        {
            return f ? (object)d : l;
        }
        throw TypeError($"bad operand type for unary +: '{TypeName(a)}'");
    }

    // ---- containers ----
    public static bool Contains(RenderState st, object? container, object? item)
    {
        switch (container)
        {
            case Undefined u:
                if (u.Fails(st))
                {
                    throw u.Error();
                }
                return false;
            case string s:
                if (item is Undefined ui)
                {
                    throw ui.Error();
                }
                if (item is not string sub)
                {
                    throw TypeError($"'in <string>' requires string as left operand, not {TypeName(item)}");
                }
                return s.Contains(sub, StringComparison.Ordinal);
            case IDictionary<string, object?> dict:
                return item is string key && dict.ContainsKey(key);
            case IJinjaIndexable idx:
                return idx.TryGetItem(item, out _);
        }
        foreach (var x in Iterate(st, container))
        {
            if (Eq(st, x, item))
            {
                return true;
            }
        }
        return false;
    }

    public static IEnumerable<object?> Iterate(RenderState st, object? v)
    {
        switch (v)
        {
            case List<object?> list: return list;
            case PyTuple t: return t.Items;
            case string s: return IterateChars(s);
            case IDictionary<string, object?> dict: return dict.Keys;
            case DictView dv: return dv;
            case Undefined u:
                if (u.Fails(st))
                {
                    throw u.Error();
                }
                return [];
            case IEnumerable<object?> e: return e;
            case IEnumerable e2: return e2.Cast<object?>();
            default: throw TypeError($"'{TypeName(v)}' object is not iterable");
        }
    }

    private static IEnumerable<object?> IterateChars(string s)
    {
        foreach (var c in s)
        {
            yield return c.ToString();
        }
    }

    public static List<object?> ToList(RenderState st, object? v)
    {
        if (v is List<object?> list)
        {
            return new List<object?>(list);
        }
        return new List<object?>(Iterate(st, v));
    }

    public static int Len(RenderState st, object? v) => v switch
    {
        string s => s.Length,
        List<object?> list => list.Count,
        PyTuple t => t.Count,
        IDictionary<string, object?> d => d.Count,
        DictView dv => dv.Count,
        Undefined u => u.Fails(st) ? throw u.Error() : 0,
        ICollection c => c.Count,
        _ => throw TypeError($"object of type '{TypeName(v)}' has no len()"),
    };

    // ---- lookups ----
    public static object? GetAttr(RenderState st, object? obj, string name)
    {
        if (obj is Undefined u)
        {
            throw u.Error();
        }
        if (PyMethods.TryGetAttribute(obj, name, out var value))
        {
            return value;
        }
        if (TryGetItemCore(obj, name, true, out value))
        {
            return value;
        }
        return new Undefined(obj, name);
    }

    public static object? GetItem(RenderState st, object? obj, object? key)
    {
        if (obj is Undefined u)
        {
            throw u.Error();
        }
        if (key is Undefined uk && st.Strict)
        {
            throw uk.Error();
        }
        if (key is SliceValue slice)
        {
            return slice.Apply(st, obj);
        }
        if (TryGetItemCore(obj, key, false, out var value))
        {
            return value;
        }
        if (key is string name && PyMethods.TryGetAttribute(obj, name, out value))
        {
            return value;
        }
        if (key is string s)
        {
            return new Undefined(obj, s);
        }
        return new Undefined(null, $"{TypeName(obj)} object has no element {Repr(key)}");
    }

    private static bool TryGetItemCore(object? obj, object? key, bool attributeStyle, out object? value)
    {
        switch (obj)
        {
            case IDictionary<string, object?> dict:
                if (key is string k)
                {
                    return dict.TryGetValue(k, out value);
                }
                if (key is long or int or bool or double)
                {
                    return dict.TryGetValue(Data.DataTree.KeyToString(key), out value);
                }
                break;
            case IJinjaIndexable idx:
                if (idx.TryGetItem(key, out value))
                {
                    return true;
                }
                if (attributeStyle && key is string path)
                {
                    value = new IndexablePath(idx, path);
                    return true;
                }
                return false;
            case IndexablePath ip when key is string part:
                var full = ip.Path + "." + part;
                if (ip.Root.TryGetItem(full, out value))
                {
                    return true;
                }
                value = new IndexablePath(ip.Root, full);
                return true;
            case List<object?> or PyTuple or string:
                if (key is long or int or bool)
                {
                    TryNumber(key, out var index, out _, out _);
                    var count = obj is string str ? str.Length : ((IReadOnlyCollection<object?>)obj).Count;
                    if (index < 0)
                    {
                        index += count;
                    }
                    if (index >= 0 && index < count)
                    {
                        value = obj switch
                        {
                            string s2 => s2[(int)index].ToString(),
                            List<object?> l => l[(int)index],
                            _ => ((PyTuple)obj)[(int)index],
                        };
                        return true;
                    }
                }
                break;
            case Namespace ns when key is string nk:
                return ns.Attributes.TryGetValue(nk, out value);
        }
        value = null;
        return false;
    }

    public static object? Call(RenderState st, object? callee, List<object?> args, Dictionary<string, object?> kwargs)
    {
        switch (callee)
        {
            case ICallableValue c: return c.Call(st, args, kwargs);
            case JinjaCallable f: return FromHost(f(ToHostList(st, args), kwargs));
            case Undefined u: throw u.Error();
            case IndexablePath ip: throw new Undefined(null, $"'{ip.Path}' is not available").Error();
            default: throw TypeError($"'{TypeName(callee)}' object is not callable");
        }
    }

    // ---- host boundary ----
    public static object? ToHost(RenderState st, object? v)
    {
        if (v is Undefined u)
        {
            if (u.Fails(st))
            {
                throw u.Error();
            }
            return null;
        }
        return v;
    }

    public static List<object?> ToHostList(RenderState st, List<object?> args)
    {
        foreach (var a in args)
        {
            if (a is Undefined)
            {
                return args.Select(x => ToHost(st, x)).ToList();
            }
        }
        return args;
    }

    public static object? FromHost(object? v) => v switch
    {
        null or string or long or double or bool => v,
        int i => (long)i,
        float f => (double)f,
        decimal m => (double)m,
        short or byte or uint or ulong or sbyte or ushort => Data.DataTree.Normalize(v),
        char c => c.ToString(),
        List<object?> or IDictionary<string, object?> or JinjaCallable or IJinjaIndexable => v,
        object?[] array => array.Select(FromHost).ToList(),
        _ => v,
    };
}
