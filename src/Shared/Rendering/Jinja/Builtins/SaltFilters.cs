using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Shared.Rendering.Jinja.Ast;
using Orchestrator.Shared.Rendering.Jinja.Runtime;
using static Orchestrator.Shared.Rendering.Jinja.Builtins.FilterArgs;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>The filters and tests Salt adds to (or replaces in) Jinja2.</summary>
internal static class SaltFilters
{
    public static void Register(Dictionary<string, FilterFunc> f, Dictionary<string, TestFunc> t)
    {
        f["to_bool"] = (st, v, a, k) => v switch
        {
            null => false,
            bool b => b,
            string s => s.ToLowerInvariant() is "yes" or "1" or "true",
            long l => l > 0,
            double => false,
            List<object?> or IDictionary<string, object?> => Py.Len(st, v) > 0,
            Undefined u => throw u.Error(),
            _ => false,
        };
        f["quote"] = (st, v, a, k) => ShellQuote(Py.Str(st, v));
        f["regex_escape"] = (st, v, a, k) => PyReEscape(Py.Str(st, v));
        f["regex_search"] = (st, v, a, k) => RegexGroups(st, v, a, k, false);
        f["regex_match"] = (st, v, a, k) => RegexGroups(st, v, a, k, true);
        f["regex_replace"] = (st, v, a, k) =>
        {
            var re = CompileRegex(ConvertPattern(Py.Str(st, Get(a, k, 0, "rgx"))), Options(st, a, k, 2));
            var repl = Py.Str(st, Get(a, k, 1, "val"));
            repl = Regex.Replace(repl.Replace("$", "$$", StringComparison.Ordinal), @"\\(\d+)|\\g<(\w+)>", m => "${" + (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) + "}");
            return re.Replace(Py.Str(st, v), repl);
        };
        f["sequence"] = (st, v, a, k) => v is List<object?> or PyTuple or IDictionary<string, object?> ? v : new List<object?> { v };
        f["traverse"] = (st, v, a, k) => TraverseFilter.Traverse(st, v, Get(a, k, 0, "key"), Get(a, k, 1, "default"), Str(st, a, k, 2, "delimiter", ":")!);
        f["skip"] = (st, v, a, k) => string.Empty;
        f["unique"] = (st, v, a, k) => Unique(st, Py.Iterate(st, v));
        f["min"] = (st, v, a, k) => CoreFilters.MinMax(st, v, false);
        f["max"] = (st, v, a, k) => CoreFilters.MinMax(st, v, true);
        f["avg"] = (st, v, a, k) =>
        {
            if (v is List<object?> or PyTuple)
            {
                var items = Py.ToList(st, v);
                object? total = 0L;
                foreach (var i in items)
                {
                    total = Py.Add(total, i);
                }
                return Convert.ToDouble(Py.Div(total, (long)items.Count), CultureInfo.InvariantCulture);
            }
            return CoreFilters.ToFloat(v, 0.0);
        };
        f["union"] = (st, v, a, k) => Unique(st, Py.ToList(st, v).Concat(Py.ToList(st, Get(a, k, 0, "lst2"))));
        f["intersect"] = (st, v, a, k) =>
        {
            var other = Members.Of(st, Py.ToList(st, Get(a, k, 0, "lst2")));
            return Unique(st, Py.ToList(st, v).Where(other.Contains));
        };
        f["difference"] = (st, v, a, k) =>
        {
            var other = Members.Of(st, Py.ToList(st, Get(a, k, 0, "lst2")));
            return Unique(st, Py.ToList(st, v).Where(x => !other.Contains(x)));
        };
        f["symmetric_difference"] = (st, v, a, k) =>
        {
            var l1 = Py.ToList(st, v);
            var l2 = Py.ToList(st, Get(a, k, 0, "lst2"));
            var union = Unique(st, l1.Concat(l2));
            var in1 = Members.Of(st, l1);
            var in2 = Members.Of(st, l2);
            return union.Where(x => !(in1.Contains(x) && in2.Contains(x))).ToList();
        };
        f["str_to_num"] = f["to_num"] = (st, v, a, k) =>
        {
            if (v is not string s)
            {
                return v;
            }
            var t = s.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
            if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }
            return CoreFilters.TryParseFloat(s, out var d) ? d : s;
        };
        f["contains_whitespace"] = (st, v, a, k) => Py.Str(st, v).Any(char.IsWhiteSpace);
        f["to_camelcase"] = (st, v, a, k) =>
        {
            var words = Py.Str(st, v).Split('_');
            var upper = Bool(st, a, k, 0, "uppercamel");
            var first = upper ? PyMethods.Capitalize(words[0]) : words[0];
            return first + string.Concat(words.Skip(1).Select(PyMethods.Capitalize));
        };
        f["to_snake_case"] = (st, v, a, k) =>
        {
            var s = Py.Str(st, v);
            if (s.Length == 0)
            {
                return s;
            }
            var sb = new StringBuilder();
            sb.Append(char.ToLowerInvariant(s[0]));
            for (var i = 1; i < s.Length; i++)
            {
                var c = s[i];
                if (char.IsUpper(c) && (char.IsLower(s[i - 1]) || (i + 1 < s.Length && char.IsLower(s[i + 1]))))
                {
                    sb.Append('_');
                }
                sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        };
        f["path_join"] = (st, v, a, k) =>
        {
            var parts = new List<string> { Py.Str(st, v) };
            parts.AddRange(a.Select(x => Py.Str(st, x).TrimStart('/')));
            var result = parts[0];
            foreach (var p in parts.Skip(1))
            {
                result = result.Length == 0 || result.EndsWith('/') ? result + p : result + "/" + p;
            }
            return result;
        };
        f["human_to_bytes"] = (st, v, a, k) => HumanToBytes(Py.Str(st, v), Str(st, a, k, 0, "default_unit", "B")!, Bool(st, a, k, 1, "handle_metric"));
        f["is_hex"] = (st, v, a, k) =>
        {
            var s = Py.Str(st, v).Trim();
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                s = s[2..];
            }
            return s.Length > 0 && s.All(Uri.IsHexDigit);
        };
        f["is_empty"] = (st, v, a, k) =>
        {
            var path = Py.Str(st, v);
            try
            {
                return path.Length > 0 && File.Exists(path) && new FileInfo(path).Length == 0;
            }
            catch (IOException)
            {
                return false;
            }
        };
        f["is_list"] = (st, v, a, k) => v is List<object?>;
        f["is_iter"] = (st, v, a, k) => v is List<object?> or PyTuple or IDictionary<string, object?> or DictView;
        f["flatten"] = (st, v, a, k) =>
        {
            var levels = Has(a, k, 0, "levels") && Get(a, k, 0, "levels") is not null ? Int(a, k, 0, "levels", -1) : -1;
            var preserveNulls = Bool(st, a, k, 1, "preserve_nulls");
            var result = new List<object?>();
            Flatten(Py.ToList(st, v), levels, preserveNulls, result);
            return result;
        };
        f["exactly_one_true"] = (st, v, a, k) => Py.Iterate(st, v).Count(x => Py.Truthy(st, x)) == 1;
        f["exactly_n_true"] = (st, v, a, k) => Py.Iterate(st, v).Count(x => Py.Truthy(st, x)) == Int(a, k, 0, "n", 1);
        f["base64_encode"] = (st, v, a, k) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Py.Str(st, v)));
        f["base64_decode"] = (st, v, a, k) =>
        {
            var text = Py.Str(st, v);
            var bytes = new byte[text.Length];
            return Convert.TryFromBase64String(text, bytes, out var length)
                ? Encoding.UTF8.GetString(bytes, 0, length)
                : throw new JinjaException(JinjaErrorKind.Runtime, "binascii.Error: Invalid base64-encoded string");
        };
        f["md5"] = (st, v, a, k) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(Py.Str(st, v))));
        f["sha1"] = (st, v, a, k) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Py.Str(st, v))));
        f["sha256"] = (st, v, a, k) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Py.Str(st, v))));
        f["sha512"] = (st, v, a, k) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(Py.Str(st, v))));
        f["is_ip"] = (st, v, a, k) => System.Net.IPAddress.TryParse(Py.Str(st, v), out _) && !Py.Str(st, v).Contains('/');
        f["is_ipv4"] = (st, v, a, k) => System.Net.IPAddress.TryParse(Py.Str(st, v), out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && Py.Str(st, v).Count(c => c == '.') == 3;
        f["is_ipv6"] = (st, v, a, k) => System.Net.IPAddress.TryParse(Py.Str(st, v), out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        f["sorted_ignorecase"] = (st, v, a, k) => CoreFilters.StableSort(st, Py.ToList(st, v), x => x is string s ? s.ToLowerInvariant() : x, false);
        f["method_call"] = (st, v, a, k) =>
        {
            var name = Py.Str(st, Get(a, k, 0, "f_name"));
            var method = Py.GetAttr(st, v, name);
            return method is Undefined ? null : Py.Call(st, method, a.Skip(1).ToList(), k);
        };

        t["match"] = (st, v, a, k) =>
        {
            var re = CompileRegex(@"\A(?:" + ConvertPattern(Py.Str(st, Get(a, k, 0, "rgx"))) + ")", Options(st, a, k, 1));
            return re.IsMatch(Py.Str(st, v));
        };
        t["equalto"] = (st, v, a, k) => Py.Eq(st, v, Get(a, k, 0, "other"));
        t["list"] = (st, v, a, k) => v is List<object?>;
    }

    // A pattern from a template: an invalid one is Python's re.error (RegexParseException escaped before), and a match
    // gives up after 2 s instead of backtracking for ever ("(a+)+$") on the master's render thread.
    private static Regex CompileRegex(string pattern, RegexOptions options)
    {
        try
        {
            return new Regex(pattern, options, TimeSpan.FromSeconds(2));
        }
        catch (ArgumentException e)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, $"re.error: {e.Message}");
        }
    }

    private static List<object?> Unique(RenderState st, IEnumerable<object?> items)
    {
        var seen = new Members(st);
        return items.Where(seen.Add).ToList();
    }

    // Python's set semantics for membership: hashable items through a hash set (range(10000)|unique or |difference
    // compared each item with all the others and ran for minutes), lists and mappings by equality.
    private sealed class Members(RenderState st)
    {
        private readonly HashSet<object?> _hashed = [];
        private readonly List<object?> _unhashable = [];

        public static Members Of(RenderState st, IEnumerable<object?> items)
        {
            var members = new Members(st);
            foreach (var item in items)
            {
                members.Add(item);
            }
            return members;
        }

        public bool Add(object? item)
        {
            if (Py.TryHashKey(item, out var key))
            {
                return _hashed.Add(key);
            }
            if (Contains(item))
            {
                return false;
            }
            _unhashable.Add(item);
            return true;
        }

        public bool Contains(object? item) =>
            Py.TryHashKey(item, out var key) ? _hashed.Contains(key) : _unhashable.Any(o => Py.Eq(st, o, item));
    }

    private static void Flatten(List<object?> items, long levels, bool preserveNulls, List<object?> result)
    {
        Py.EnsureStack();
        foreach (var item in items)
        {
            if (item is null && !preserveNulls)
            {
                continue;
            }
            if (item is List<object?> inner && levels != 0)
            {
                Flatten(inner, levels - 1, preserveNulls, result);
            }
            else
            {
                result.Add(item);
            }
        }
    }

    private static RegexOptions Options(RenderState st, List<object?> a, Dictionary<string, object?> k, int index)
    {
        var o = RegexOptions.None;
        if (Bool(st, a, k, index, "ignorecase"))
        {
            o |= RegexOptions.IgnoreCase;
        }
        if (Bool(st, a, k, index + 1, "multiline"))
        {
            o |= RegexOptions.Multiline;
        }
        return o;
    }

    /// <summary>Python <c>(?P&lt;n&gt;...)</c> and <c>(?P=n)</c> become .NET named groups.</summary>
    private static string ConvertPattern(string pattern) =>
        pattern.Replace("(?P<", "(?<", StringComparison.Ordinal).Replace("(?P=", @"\k<", StringComparison.Ordinal);

    private static object? RegexGroups(RenderState st, object? v, List<object?> a, Dictionary<string, object?> k, bool anchored)
    {
        var pattern = ConvertPattern(Py.Str(st, Get(a, k, 0, "rgx")));
        var re = CompileRegex(anchored ? @"\A(?:" + pattern + ")" : pattern, Options(st, a, k, 1));
        var m = re.Match(Py.Str(st, v));
        if (!m.Success)
        {
            return null;
        }
        var groups = new List<object?>();
        for (var i = 1; i < m.Groups.Count; i++)
        {
            groups.Add(m.Groups[i].Success ? m.Groups[i].Value : null);
        }
        return new PyTuple(groups.ToArray());
    }

    private static string PyReEscape(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            if ("()[]{}?*+-|^$\\.&~# \t\n\r\v\f".Contains(c))
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    public static string ShellQuote(string s)
    {
        if (s.Length == 0)
        {
            return "''";
        }
        if (s.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./-_".Contains(c)))
        {
            return s;
        }
        return "'" + s.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
    }

    private static object HumanToBytes(string size, string defaultUnit, bool handleMetric)
    {
        var s = size.Trim();
        var i = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            i++;
        }
        var valueText = s[..i];
        var unit = s[i..].Trim().ToLowerInvariant();
        if (unit.Length == 0)
        {
            unit = defaultUnit.ToLowerInvariant();
        }
        if (!long.TryParse(valueText, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return 0L;
        }
        var dec = false;
        if (unit.Length == 2 && "kmgtpezy".Contains(unit[0]) && unit[1] == 'b')
        {
            dec = handleMetric;
        }
        else if (!(unit == "b" || (unit.Length >= 1 && "kmgtpezy".Contains(unit[0]) && (unit.Length == 1 || unit[1..] == "ib"))))
        {
            return 0L;
        }
        var p = "bkmgtpezy".IndexOf(unit[0], StringComparison.Ordinal);
        for (var n = 0; n < p; n++)
        {
            value *= dec ? 1000 : 1024;
        }
        return value;
    }
}
