using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>Argument helpers shared by the built-in filters and tests.</summary>
internal static class FilterArgs
{
    public static object? Get(List<object?> args, Dictionary<string, object?> kwargs, int index, string name, object? def = null)
    {
        if (index < args.Count)
        {
            return args[index];
        }
        return kwargs.TryGetValue(name, out var v) ? v : def;
    }

    public static bool Has(List<object?> args, Dictionary<string, object?> kwargs, int index, string name) =>
        index < args.Count || kwargs.ContainsKey(name);

    public static bool Bool(RenderState st, List<object?> args, Dictionary<string, object?> kwargs, int index, string name, bool def = false) =>
        Has(args, kwargs, index, name) ? Py.Truthy(st, Get(args, kwargs, index, name)) : def;

    public static long Int(List<object?> args, Dictionary<string, object?> kwargs, int index, string name, long def)
    {
        var v = Get(args, kwargs, index, name);
        return v switch
        {
            null => def,
            long l => l,
            int i => i,
            bool b => b ? 1 : 0,
            double d => (long)d,
            _ => throw Py.TypeError($"'{Py.TypeName(v)}' object cannot be interpreted as an integer"),
        };
    }

    public static string? Str(RenderState st, List<object?> args, Dictionary<string, object?> kwargs, int index, string name, string? def = null)
    {
        var v = Get(args, kwargs, index, name, def);
        return v is null ? null : Py.Str(st, v);
    }

    /// <summary>Jinja2's <c>make_attrgetter</c>: dotted path, integer parts index, item lookup before attribute.</summary>
    public static Func<object?, object?> AttrGetter(RenderState st, object? attribute, object? def = null, bool lower = false)
    {
        var parts = attribute switch
        {
            null => [],
            string s => s.Split('.').Select(p => long.TryParse(p, out var n) ? (object)n : p).ToArray(),
            _ => new[] { attribute },
        };
        return item =>
        {
            var v = item;
            foreach (var part in parts)
            {
                v = Py.GetItem(st, v, part);
            }
            if (def is not null && v is Undefined)
            {
                v = def;
            }
            if (lower && v is string str)
            {
                v = str.ToLowerInvariant();
            }
            return v;
        };
    }
}
