using System.Text;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Ast;

internal delegate object? FilterFunc(RenderState st, object? value, List<object?> args, Dictionary<string, object?> kwargs);

internal delegate bool TestFunc(RenderState st, object? value, List<object?> args, Dictionary<string, object?> kwargs);

internal abstract class Node
{
    public int Line { get; set; }

    public int Column { get; set; }

    public virtual IEnumerable<Node> Children() => [];
}

internal abstract class Expr : Node
{
    public abstract object? Eval(RenderState st, Scope scope);
}

internal sealed class ConstExpr(object? value) : Expr
{
    public object? Value { get; } = value;

    public override object? Eval(RenderState st, Scope scope) => Value;
}

internal sealed class NameExpr(string name) : Expr
{
    public string Name { get; } = name;

    public override object? Eval(RenderState st, Scope scope) => st.Lookup(scope, Name);
}

internal sealed class ListExpr(Expr[] items) : Expr
{
    public Expr[] Items { get; } = items;

    public override IEnumerable<Node> Children() => Items;

    public override object? Eval(RenderState st, Scope scope)
    {
        var list = new List<object?>(Items.Length);
        foreach (var item in Items)
        {
            list.Add(item.Eval(st, scope));
        }
        return list;
    }
}

internal sealed class TupleExpr(Expr[] items) : Expr
{
    public Expr[] Items { get; } = items;

    public override IEnumerable<Node> Children() => Items;

    public override object? Eval(RenderState st, Scope scope)
    {
        var values = new object?[Items.Length];
        for (var i = 0; i < Items.Length; i++)
        {
            values[i] = Items[i].Eval(st, scope);
        }
        return new PyTuple(values);
    }
}

internal sealed class DictExpr((Expr Key, Expr Value)[] pairs) : Expr
{
    public (Expr Key, Expr Value)[] Pairs { get; } = pairs;

    public override IEnumerable<Node> Children() => Pairs.SelectMany(p => new Node[] { p.Key, p.Value });

    public override object? Eval(RenderState st, Scope scope)
    {
        var dict = new Dictionary<string, object?>(Pairs.Length, StringComparer.Ordinal);
        foreach (var (k, v) in Pairs)
        {
            var key = k.Eval(st, scope);
            if (key is Undefined u && u.Fails(st))
            {
                throw u.Error();
            }
            dict[key as string ?? Data.DataTree.KeyToString(key)] = v.Eval(st, scope);
        }
        return dict;
    }
}

internal sealed class GetAttrExpr(Expr obj, string name) : Expr
{
    public Expr Obj { get; } = obj;

    public string Name { get; } = name;

    public override IEnumerable<Node> Children() => [Obj];

    public override object? Eval(RenderState st, Scope scope) => Py.GetAttr(st, Obj.Eval(st, scope), Name);
}

internal sealed class GetItemExpr(Expr obj, Expr key) : Expr
{
    public Expr Obj { get; } = obj;

    public Expr Key { get; } = key;

    public override IEnumerable<Node> Children() => [Obj, Key];

    public override object? Eval(RenderState st, Scope scope) => Py.GetItem(st, Obj.Eval(st, scope), Key.Eval(st, scope));
}

internal sealed class SliceExpr(Expr? start, Expr? stop, Expr? step) : Expr
{
    public override IEnumerable<Node> Children() => new[] { start, stop, step }.Where(e => e is not null)!;

    public override object? Eval(RenderState st, Scope scope) =>
        new SliceValue(start?.Eval(st, scope), stop?.Eval(st, scope), step?.Eval(st, scope));
}

/// <summary>Arguments of a call, filter or test as written: positional, keyword, <c>*args</c>, <c>**kwargs</c>.</summary>
internal sealed class ArgList
{
    public static readonly ArgList Empty = new([], [], null, null);

    public ArgList(Expr[] positional, (string Name, Expr Value)[] keywords, Expr? starArgs, Expr? starKwargs)
    {
        Positional = positional;
        Keywords = keywords;
        StarArgs = starArgs;
        StarKwargs = starKwargs;
    }

    public Expr[] Positional { get; }

    public (string Name, Expr Value)[] Keywords { get; }

    public Expr? StarArgs { get; }

    public Expr? StarKwargs { get; }

    public IEnumerable<Node> Nodes()
    {
        foreach (var p in Positional)
        {
            yield return p;
        }
        foreach (var k in Keywords)
        {
            yield return k.Value;
        }
        if (StarArgs is not null)
        {
            yield return StarArgs;
        }
        if (StarKwargs is not null)
        {
            yield return StarKwargs;
        }
    }

    public (List<object?> Args, Dictionary<string, object?> Kwargs) Eval(RenderState st, Scope scope)
    {
        var args = new List<object?>(Positional.Length);
        foreach (var p in Positional)
        {
            args.Add(p.Eval(st, scope));
        }
        if (StarArgs is not null)
        {
            args.AddRange(Py.Iterate(st, StarArgs.Eval(st, scope)));
        }
        if (Keywords.Length == 0 && StarKwargs is null)
        {
            return (args, Py.NoKwargs);
        }
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in Keywords)
        {
            kwargs[name] = value.Eval(st, scope);
        }
        if (StarKwargs is not null && StarKwargs.Eval(st, scope) is IDictionary<string, object?> extra)
        {
            foreach (var pair in extra)
            {
                kwargs[pair.Key] = pair.Value;
            }
        }
        return (args, kwargs);
    }
}

internal sealed class CallExpr(Expr func, ArgList args) : Expr
{
    public Expr Func { get; } = func;

    public ArgList Args { get; } = args;

    public override IEnumerable<Node> Children() => Args.Nodes().Prepend(Func);

    public override object? Eval(RenderState st, Scope scope)
    {
        var callee = Func.Eval(st, scope);
        var (args, kwargs) = Args.Eval(st, scope);
        return Py.Call(st, callee, args, kwargs);
    }

    public object? EvalWithCaller(RenderState st, Scope scope, object? caller)
    {
        var callee = Func.Eval(st, scope);
        var (args, kwargs) = Args.Eval(st, scope);
        kwargs = new Dictionary<string, object?>(kwargs, StringComparer.Ordinal) { ["caller"] = caller };
        return Py.Call(st, callee, args, kwargs);
    }
}

internal sealed class FilterExpr(Expr? node, string name, FilterFunc impl, ArgList args) : Expr
{
    public Expr? Node { get; } = node;

    public string Name { get; } = name;

    public override IEnumerable<Node> Children() => Node is null ? args.Nodes() : args.Nodes().Prepend(Node);

    public override object? Eval(RenderState st, Scope scope) => Apply(st, scope, Node!.Eval(st, scope));

    public object? Apply(RenderState st, Scope scope, object? value)
    {
        var (a, k) = args.Eval(st, scope);
        return impl(st, value, a, k);
    }
}

/// <summary>A chain of filters applied to a captured body: <c>{% filter upper %}</c> and <c>{% set x | trim %}</c>.</summary>
internal sealed class FilterChain(FilterExpr[] filters)
{
    public FilterExpr[] Filters { get; } = filters;

    public object? Apply(RenderState st, Scope scope, object? value)
    {
        foreach (var f in Filters)
        {
            value = f.Apply(st, scope, value);
        }
        return value;
    }
}

internal sealed class TestExpr(Expr node, string name, TestFunc impl, ArgList args, bool negated) : Expr
{
    public string Name { get; } = name;

    public override IEnumerable<Node> Children() => args.Nodes().Prepend(node);

    public override object? Eval(RenderState st, Scope scope)
    {
        var value = node.Eval(st, scope);
        var (a, k) = args.Eval(st, scope);
        return impl(st, value, a, k) != negated;
    }
}

internal sealed class UnaryExpr(string op, Expr operand) : Expr
{
    public override IEnumerable<Node> Children() => [operand];

    public override object? Eval(RenderState st, Scope scope)
    {
        var v = operand.Eval(st, scope);
        return op switch
        {
            "-" => Py.Neg(v),
            "+" => Py.Pos(v),
            _ => !Py.Truthy(st, v),
        };
    }
}

internal sealed class BinaryExpr(string op, Expr left, Expr right) : Expr
{
    public override IEnumerable<Node> Children() => [left, right];

    public override object? Eval(RenderState st, Scope scope)
    {
        var a = left.Eval(st, scope);
        var b = right.Eval(st, scope);
        return op switch
        {
            "+" => Py.Add(a, b),
            "-" => Py.Sub(a, b),
            "*" => Py.Mul(a, b),
            "/" => Py.Div(a, b),
            "//" => Py.FloorDiv(a, b),
            "%" => Py.Mod(st, a, b),
            _ => Py.Pow(a, b),
        };
    }
}

internal sealed class AndExpr(Expr left, Expr right) : Expr
{
    public override IEnumerable<Node> Children() => [left, right];

    public override object? Eval(RenderState st, Scope scope)
    {
        var a = left.Eval(st, scope);
        return Py.Truthy(st, a) ? right.Eval(st, scope) : a;
    }
}

internal sealed class OrExpr(Expr left, Expr right) : Expr
{
    public override IEnumerable<Node> Children() => [left, right];

    public override object? Eval(RenderState st, Scope scope)
    {
        var a = left.Eval(st, scope);
        return Py.Truthy(st, a) ? a : right.Eval(st, scope);
    }
}

internal sealed class ConcatExpr(Expr[] parts) : Expr
{
    public override IEnumerable<Node> Children() => parts;

    public override object? Eval(RenderState st, Scope scope)
    {
        var sb = new StringBuilder();
        foreach (var p in parts)
        {
            sb.Append(Py.Str(st, p.Eval(st, scope)));
            JinjaLimits.Check(sb.Length, "the string");
        }
        return sb.ToString();
    }
}

internal sealed class CompareExpr(Expr first, (string Op, Expr Operand)[] rest) : Expr
{
    public override IEnumerable<Node> Children() => rest.Select(r => r.Operand).Prepend(first);

    public override object? Eval(RenderState st, Scope scope)
    {
        var left = first.Eval(st, scope);
        foreach (var (op, operand) in rest)
        {
            var right = operand.Eval(st, scope);
            bool ok = op switch
            {
                "==" => Py.Eq(st, left, right),
                "!=" => !Py.Eq(st, left, right),
                "<" => Py.Compare(st, left, right, op) < 0,
                ">" => Py.Compare(st, left, right, op) > 0,
                "<=" => Py.Compare(st, left, right, op) <= 0,
                ">=" => Py.Compare(st, left, right, op) >= 0,
                "in" => Py.Contains(st, right, left),
                _ => !Py.Contains(st, right, left),
            };
            if (!ok)
            {
                return false;
            }
            left = right;
        }
        return true;
    }
}

internal sealed class CondExpr(Expr test, Expr then, Expr? otherwise) : Expr
{
    public override IEnumerable<Node> Children() => otherwise is null ? [test, then] : [test, then, otherwise];

    public override object? Eval(RenderState st, Scope scope)
    {
        if (Py.Truthy(st, test.Eval(st, scope)))
        {
            return then.Eval(st, scope);
        }
        if (otherwise is not null)
        {
            return otherwise.Eval(st, scope);
        }
        return new Undefined(null, $"the inline if-expression on line {Line} evaluated to false and no else section was defined.") { AlwaysLenient = true };
    }
}
