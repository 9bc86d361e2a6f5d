using System.Text;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Ast;

internal enum Flow
{
    Normal,
    Break,
    Continue,
}

internal abstract class Stmt : Node
{
    public abstract Flow Execute(RenderState st, Scope scope, StringBuilder sb);

    public static Flow RunBody(Stmt[] body, RenderState st, Scope scope, StringBuilder sb)
    {
        foreach (var stmt in body)
        {
            Flow flow;
            try
            {
                flow = stmt.Execute(st, scope, sb);
            }
            catch (JinjaException ex) when (!ex.HasLocation)
            {
                ex.SetLocation(st.CurrentTemplate, stmt.Line, stmt.Column);
                throw;
            }
            catch (Exception ex) when (ex is not JinjaException)
            {
                throw new JinjaException(JinjaErrorKind.Runtime, ex.Message, st.CurrentTemplate, stmt.Line, stmt.Column, ex);
            }
            if (sb.Length > JinjaLimits.MaxLength)
            {
                // Loops can grow the output past any single value's limit; it is checked as it grows.
                throw new JinjaException(
                    JinjaErrorKind.Runtime, $"MemoryError: the rendered output passed the limit of {JinjaLimits.MaxLength} characters",
                    st.CurrentTemplate, stmt.Line, stmt.Column);
            }
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }
        return Flow.Normal;
    }
}

internal sealed class DataStmt(string text) : Stmt
{
    public string Text { get; } = text;

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        sb.Append(Text);
        return Flow.Normal;
    }
}

internal sealed class OutputStmt(Expr expr) : Stmt
{
    public override IEnumerable<Node> Children() => [expr];

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var value = expr.Eval(st, scope);
        if (value is string s)
        {
            sb.Append(s);
        }
        else
        {
            sb.Append(Py.Str(st, value));
        }
        return Flow.Normal;
    }
}

internal sealed class IfStmt((Expr Test, Stmt[] Body)[] branches, Stmt[]? otherwise) : Stmt
{
    public override IEnumerable<Node> Children() =>
        branches.SelectMany(b => b.Body.Cast<Node>().Prepend(b.Test)).Concat(otherwise ?? []);

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        foreach (var (test, body) in branches)
        {
            bool ok;
            try
            {
                ok = Py.Truthy(st, test.Eval(st, scope));
            }
            catch (JinjaException ex) when (!ex.HasLocation)
            {
                ex.SetLocation(st.CurrentTemplate, test.Line, test.Column);
                throw;
            }
            if (ok)
            {
                return RunBody(body, st, scope, sb);
            }
        }
        return otherwise is null ? Flow.Normal : RunBody(otherwise, st, scope, sb);
    }
}

/// <summary>Where a <c>set</c>, <c>for</c> or <c>with</c> stores values.</summary>
internal abstract class Target : Node
{
    public abstract void Assign(RenderState st, Scope scope, object? value);

    public abstract IEnumerable<string> Names();
}

internal sealed class NameTarget(string name) : Target
{
    public string Name { get; } = name;

    public override void Assign(RenderState st, Scope scope, object? value) => scope.Set(Name, value);

    public override IEnumerable<string> Names() => [Name];
}

internal sealed class NamespaceTarget(string name, string attribute) : Target
{
    public override void Assign(RenderState st, Scope scope, object? value)
    {
        var ns = st.Lookup(scope, name);
        if (ns is not Namespace n)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "cannot assign attribute on non-namespace object");
        }
        n.Attributes[attribute] = value;
    }

    public override IEnumerable<string> Names() => [];
}

internal sealed class TupleTarget(Target[] items) : Target
{
    public override void Assign(RenderState st, Scope scope, object? value)
    {
        var values = Py.ToList(st, value);
        if (values.Count > items.Length)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, $"too many values to unpack (expected {items.Length})");
        }
        if (values.Count < items.Length)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, $"not enough values to unpack (expected {items.Length}, got {values.Count})");
        }
        for (var i = 0; i < items.Length; i++)
        {
            items[i].Assign(st, scope, values[i]);
        }
    }

    public override IEnumerable<string> Names() => items.SelectMany(i => i.Names());
}

internal sealed class ForStmt : Stmt
{
    public required Target Target { get; init; }

    public required Expr Iter { get; init; }

    public Expr? Filter { get; init; }

    public required Stmt[] Body { get; init; }

    public Stmt[]? Else { get; init; }

    public bool Recursive { get; init; }

    public override IEnumerable<Node> Children()
    {
        yield return Iter;
        if (Filter is not null)
        {
            yield return Filter;
        }
        foreach (var s in Body)
        {
            yield return s;
        }
        foreach (var s in Else ?? [])
        {
            yield return s;
        }
    }

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        object? iterable;
        try
        {
            iterable = Iter.Eval(st, scope);
        }
        catch (JinjaException ex) when (!ex.HasLocation)
        {
            ex.SetLocation(st.CurrentTemplate, Iter.Line, Iter.Column);
            throw;
        }
        Run(st, scope, iterable, 0, sb);
        return Flow.Normal;
    }

    public void Run(RenderState st, Scope outer, object? iterable, int depth0, StringBuilder sb)
    {
        var loopScope = new Scope(outer);
        List<object?> items;
        if (Filter is null)
        {
            items = iterable is IDictionary<string, object?> d ? d.Keys.Cast<object?>().ToList() : Py.ToList(st, iterable);
        }
        else
        {
            items = new List<object?>();
            foreach (var item in Py.ToList(st, iterable))
            {
                Target.Assign(st, loopScope, item);
                if (Py.Truthy(st, Filter.Eval(st, loopScope)))
                {
                    items.Add(item);
                }
            }
        }
        if (items.Count == 0)
        {
            if (Else is not null)
            {
                RunBody(Else, st, outer, sb);
            }
            return;
        }
        var loop = new LoopContext(items, depth0, Recursive ? this : null, outer);
        loopScope.Set("loop", loop);
        st.Enter();
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                loop.Index0 = i;
                Target.Assign(st, loopScope, items[i]);
                var flow = RunBody(Body, st, loopScope, sb);
                if (flow == Flow.Break)
                {
                    break;
                }
            }
        }
        finally
        {
            st.Leave();
        }
    }
}

internal sealed class BreakStmt(bool isBreak) : Stmt
{
    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb) => isBreak ? Flow.Break : Flow.Continue;
}

internal sealed class SetStmt(Target target, Expr value) : Stmt
{
    public override IEnumerable<Node> Children() => [value];

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        target.Assign(st, scope, value.Eval(st, scope));
        return Flow.Normal;
    }
}

internal sealed class SetBlockStmt(Target target, Stmt[] body, FilterChain? filter) : Stmt
{
    public override IEnumerable<Node> Children() => body;

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var inner = new StringBuilder();
        RunBody(body, st, scope, inner);
        object? value = inner.ToString();
        if (filter is not null)
        {
            value = filter.Apply(st, scope, value);
        }
        target.Assign(st, scope, value);
        return Flow.Normal;
    }
}

internal sealed class DoStmt(Expr expr) : Stmt
{
    public override IEnumerable<Node> Children() => [expr];

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        expr.Eval(st, scope);
        return Flow.Normal;
    }
}

internal sealed class WithStmt((Target Target, Expr Value)[] assignments, Stmt[] body) : Stmt
{
    public override IEnumerable<Node> Children() => assignments.Select(a => (Node)a.Value).Concat(body);

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var inner = new Scope(scope);
        foreach (var (target, value) in assignments)
        {
            target.Assign(st, inner, value.Eval(st, scope));
        }
        return RunBody(body, st, inner, sb);
    }
}

internal sealed class BlockStmt(Stmt[] body, bool scoped) : Stmt
{
    public override IEnumerable<Node> Children() => body;

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        RunBody(body, st, scoped ? scope : new Scope(scope), sb);
        return Flow.Normal;
    }
}

internal sealed class FilterBlockStmt(Stmt[] body, FilterChain filter) : Stmt
{
    public override IEnumerable<Node> Children() => body;

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var inner = new StringBuilder();
        RunBody(body, st, scope, inner);
        sb.Append(Py.Str(st, filter.Apply(st, scope, inner.ToString())));
        return Flow.Normal;
    }
}

internal sealed class MacroDef
{
    public required string Name { get; init; }

    public required string[] Params { get; init; }

    public required Expr?[] Defaults { get; init; }

    public required Stmt[] Body { get; init; }

    public bool UsesCaller { get; set; }

    public bool UsesVarargs { get; set; }

    public bool UsesKwargs { get; set; }

    public string? TemplateName { get; init; }
}

internal sealed class MacroStmt(MacroDef def) : Stmt
{
    public MacroDef Def { get; } = def;

    public override IEnumerable<Node> Children() => Def.Body.Cast<Node>().Concat(Def.Defaults.OfType<Expr>());

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        scope.Set(Def.Name, new Macro(Def, scope));
        return Flow.Normal;
    }
}

internal sealed class CallBlockStmt(CallExpr call, MacroDef caller) : Stmt
{
    public override IEnumerable<Node> Children() => caller.Body.Cast<Node>().Prepend(call);

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var value = call.EvalWithCaller(st, scope, new Macro(caller, scope));
        sb.Append(Py.Str(st, value));
        return Flow.Normal;
    }
}

internal sealed class IncludeStmt(Expr template, bool ignoreMissing, bool withContext) : Stmt
{
    public override IEnumerable<Node> Children() => [template];

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var nameValue = template.Eval(st, scope);
        JinjaTemplate? tpl = null;
        if (nameValue is List<object?> or PyTuple)
        {
            var names = Py.ToList(st, nameValue);
            foreach (var n in names)
            {
                tpl = st.TryLoad(Py.Str(st, n));
                if (tpl is not null)
                {
                    break;
                }
            }
            if (tpl is null && !ignoreMissing)
            {
                var listed = string.Join(", ", names.Select(n => Py.Repr(n)));
                throw new JinjaException(JinjaErrorKind.TemplateNotFound, $"none of the templates given were found: [{listed}]");
            }
        }
        else
        {
            var name = Py.Str(st, nameValue);
            tpl = st.TryLoad(name);
            if (tpl is null && !ignoreMissing)
            {
                throw new JinjaException(JinjaErrorKind.TemplateNotFound, name);
            }
        }
        if (tpl is not null)
        {
            var inner = withContext ? new Scope(scope) : new Scope(null);
            tpl.Execute(withContext ? st : st.ForImport(), inner, sb);
        }
        return Flow.Normal;
    }
}

internal sealed class ImportStmt(Expr template, string alias, bool withContext) : Stmt
{
    public override IEnumerable<Node> Children() => [template];

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        scope.Set(alias, ModuleLoader.Load(st, scope, template.Eval(st, scope), withContext));
        return Flow.Normal;
    }
}

internal sealed class FromImportStmt(Expr template, (string Name, string Alias)[] names, bool withContext) : Stmt
{
    public override IEnumerable<Node> Children() => [template];

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var nameValue = template.Eval(st, scope);
        var module = ModuleLoader.Load(st, scope, nameValue, withContext);
        foreach (var (name, alias) in names)
        {
            if (module.Exports.TryGetValue(name, out var value))
            {
                scope.Set(alias, value);
            }
            else
            {
                scope.Set(alias, new Undefined(name, $"the template {Py.Repr(module.Name)} (imported on line {Line}) does not export the requested name {Py.Repr(name)}"));
            }
        }
        return Flow.Normal;
    }
}

/// <summary>Salt's <c>{% import_yaml 'x' as v %}</c>, <c>import_json</c> and <c>import_text</c>.</summary>
internal sealed class SaltImportStmt(Expr template, string alias, string format) : Stmt
{
    public override IEnumerable<Node> Children() => [template];

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var module = ModuleLoader.Load(st, scope, template.Eval(st, scope), false);
        scope.Set(alias, Builtins.SerializerFilters.Load(format, module.Body));
        return Flow.Normal;
    }
}

/// <summary>Salt's <c>{% load_yaml as v %}...{% endload %}</c> (and json/text).</summary>
internal sealed class SaltLoadStmt(Target target, Stmt[] body, string format) : Stmt
{
    public override IEnumerable<Node> Children() => body;

    public override Flow Execute(RenderState st, Scope scope, StringBuilder sb)
    {
        var inner = new StringBuilder();
        RunBody(body, st, new Scope(scope), inner);
        target.Assign(st, scope, Builtins.SerializerFilters.Load(format, inner.ToString()));
        return Flow.Normal;
    }
}

internal static class ModuleLoader
{
    public static TemplateModule Load(RenderState st, Scope scope, object? nameValue, bool withContext)
    {
        var name = Py.Str(st, nameValue);
        var tpl = st.TryLoad(name) ?? throw new JinjaException(JinjaErrorKind.TemplateNotFound, name);
        var moduleScope = withContext ? new Scope(scope) : new Scope(null);
        var body = new StringBuilder();
        var moduleState = withContext ? st : st.ForImport();
        tpl.Execute(moduleState, moduleScope, body);
        var exports = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (moduleScope.HasVars)
        {
            foreach (var pair in moduleScope.Vars)
            {
                if (!pair.Key.StartsWith('_'))
                {
                    exports[pair.Key] = pair.Value;
                }
            }
        }
        return new TemplateModule(name, exports, body.ToString());
    }
}
