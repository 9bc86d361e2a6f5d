using Orchestrator.Shared.Rendering.Jinja.Ast;
using Orchestrator.Shared.Rendering.Jinja.Runtime;
using static Orchestrator.Shared.Rendering.Jinja.Builtins.FilterArgs;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>Jinja2 3.1's built-in tests.</summary>
internal static class CoreTests
{
    public static void Register(Dictionary<string, TestFunc> t)
    {
        t["defined"] = (st, v, a, k) => v is not Undefined;
        t["undefined"] = (st, v, a, k) => v is Undefined;
        t["none"] = (st, v, a, k) => v is null;
        t["boolean"] = (st, v, a, k) => v is bool;
        t["true"] = (st, v, a, k) => v is true;
        t["false"] = (st, v, a, k) => v is false;
        t["integer"] = (st, v, a, k) => v is long or int;
        t["float"] = (st, v, a, k) => v is double or float;
        t["number"] = (st, v, a, k) => Py.IsNumber(v);
        t["string"] = (st, v, a, k) => v is string;
        t["mapping"] = (st, v, a, k) => Py.IsMapping(v);
        t["sequence"] = (st, v, a, k) => Py.IsSequenceLike(v);
        t["iterable"] = (st, v, a, k) => v is string or List<object?> or PyTuple or IDictionary<string, object?> or DictView;
        t["callable"] = (st, v, a, k) => Py.IsCallable(v);
        t["sameas"] = (st, v, a, k) =>
        {
            var other = Get(a, k, 0, "other");
            if (v is null || other is null)
            {
                return v is null && other is null;
            }
            if (v is bool or long or double || v is string)
            {
                return v.GetType() == other.GetType() && Equals(v, other);
            }
            return ReferenceEquals(v, other);
        };
        t["escaped"] = (st, v, a, k) => false;
        t["odd"] = (st, v, a, k) => IntOf(st, v) % 2 != 0;
        t["even"] = (st, v, a, k) => IntOf(st, v) % 2 == 0;
        t["divisibleby"] = (st, v, a, k) =>
        {
            var n = Py.Mod(st, v, Get(a, k, 0, "num"));
            return Py.Eq(st, n, 0L);
        };
        t["lower"] = (st, v, a, k) => (bool)((BoundMethod)PyMethods.GetStr(Py.Str(st, v), "islower")).Call(st, [], Py.NoKwargs)!;
        t["upper"] = (st, v, a, k) => (bool)((BoundMethod)PyMethods.GetStr(Py.Str(st, v), "isupper")).Call(st, [], Py.NoKwargs)!;
        t["in"] = (st, v, a, k) => Py.Contains(st, Get(a, k, 0, "seq"), v);
        t["eq"] = t["equalto"] = t["=="] = (st, v, a, k) => Py.Eq(st, v, Get(a, k, 0, "other"));
        t["ne"] = t["!="] = (st, v, a, k) => !Py.Eq(st, v, Get(a, k, 0, "other"));
        t["lt"] = t["lessthan"] = t["<"] = (st, v, a, k) => Py.Compare(st, v, Get(a, k, 0, "other"), "<") < 0;
        t["le"] = t["<="] = (st, v, a, k) => Py.Compare(st, v, Get(a, k, 0, "other"), "<=") <= 0;
        t["gt"] = t["greaterthan"] = t[">"] = (st, v, a, k) => Py.Compare(st, v, Get(a, k, 0, "other"), ">") > 0;
        t["ge"] = t[">="] = (st, v, a, k) => Py.Compare(st, v, Get(a, k, 0, "other"), ">=") >= 0;
        t["filter"] = (st, v, a, k) => v is string s && st.Env.TryGetFilter(s, out _);
        t["test"] = (st, v, a, k) => v is string s && st.Env.TryGetTest(s, out _);
    }

    private static long IntOf(RenderState st, object? v)
    {
        if (v is Undefined u)
        {
            throw u.Error();
        }
        if (Py.TryNumber(v, out var l, out var d, out var f))
        {
            return f ? (long)d : l;
        }
        throw Py.TypeError($"not all arguments converted during string formatting");
    }
}
