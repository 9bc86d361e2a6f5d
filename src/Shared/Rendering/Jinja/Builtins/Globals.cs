using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>Jinja2's global functions (<c>range</c>, <c>dict</c>, <c>namespace</c>, <c>cycler</c>, <c>joiner</c>) and Salt's <c>raise</c>/<c>odict</c>.</summary>
internal static class Globals
{
    public static void Register(Dictionary<string, object?> g)
    {
        g["range"] = new BoundMethod("range", null, (st, a, k) =>
        {
            long start = 0, stop, step = 1;
            var ints = a.Select(x => Py.TryNumber(x, out var l, out _, out var f) && !f ? l : throw Py.TypeError($"'{Py.TypeName(x)}' object cannot be interpreted as an integer")).ToArray();
            switch (ints.Length)
            {
                case 1: stop = ints[0]; break;
                case 2: start = ints[0]; stop = ints[1]; break;
                case 3: start = ints[0]; stop = ints[1]; step = ints[2]; break;
                default: throw Py.TypeError($"range expected at most 3 arguments, got {ints.Length}");
            }
            if (step == 0)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, "range() arg 3 must not be zero");
            }
            var result = new List<object?>();
            for (var i = start; step > 0 ? i < stop : i > stop; i += step)
            {
                result.Add(i);
                if (result.Count > 100000)
                {
                    throw new JinjaException(JinjaErrorKind.Runtime, "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
                }
            }
            return result;
        });
        g["dict"] = g["odict"] = new BoundMethod("dict", null, (st, a, k) =>
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (a.Count > 0)
            {
                if (a[0] is IDictionary<string, object?> src)
                {
                    foreach (var p in src)
                    {
                        d[p.Key] = p.Value;
                    }
                }
                else
                {
                    var index = 0;
                    foreach (var item in Py.Iterate(st, a[0]))
                    {
                        var pair = Py.UpdatePair(st, item, index++);
                        d[Py.Str(st, pair[0])] = pair[1];
                    }
                }
            }
            foreach (var p in k)
            {
                d[p.Key] = p.Value;
            }
            return d;
        });
        g["namespace"] = new BoundMethod("namespace", null, (st, a, k) =>
        {
            var ns = new Namespace();
            if (a.Count > 0 && a[0] is IDictionary<string, object?> src)
            {
                foreach (var p in src)
                {
                    ns.Attributes[p.Key] = p.Value;
                }
            }
            foreach (var p in k)
            {
                ns.Attributes[p.Key] = p.Value;
            }
            return ns;
        });
        g["cycler"] = new BoundMethod("cycler", null, (st, a, k) =>
        {
            var ns = new Namespace();
            var items = a.ToList();
            var pos = 0;
            ns.Attributes["items"] = items;
            ns.Attributes["current"] = items.Count > 0 ? items[0] : null;
            ns.Attributes["next"] = new BoundMethod("next", ns, (s2, a2, k2) =>
            {
                var rv = items[pos];
                pos = (pos + 1) % items.Count;
                ns.Attributes["current"] = items[pos];
                return rv;
            });
            ns.Attributes["reset"] = new BoundMethod("reset", ns, (s2, a2, k2) =>
            {
                pos = 0;
                ns.Attributes["current"] = items[0];
                return null;
            });
            return ns;
        });
        g["joiner"] = new BoundMethod("joiner", null, (st, a, k) =>
        {
            var sep = a.Count > 0 ? Py.Str(st, a[0]) : ", ";
            var used = false;
            return new BoundMethod("joiner", null, (s2, a2, k2) =>
            {
                if (!used)
                {
                    used = true;
                    return string.Empty;
                }
                return sep;
            });
        });
        g["raise"] = new BoundMethod("raise", null, (st, a, k) =>
            throw new JinjaException(JinjaErrorKind.Runtime, a.Count > 0 ? Py.Str(st, a[0]) : string.Empty));
    }
}
