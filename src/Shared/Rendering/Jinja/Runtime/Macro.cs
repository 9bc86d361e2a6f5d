using System.Text;
using Orchestrator.Shared.Rendering.Jinja.Ast;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>A macro bound to the scope it was defined in.</summary>
internal sealed class Macro : ICallableValue
{
    private readonly MacroDef _def;
    private readonly Scope _closure;

    public Macro(MacroDef def, Scope closure)
    {
        _def = def;
        _closure = closure;
    }

    public string Name => _def.Name;

    public MacroDef Def => _def;

    public object? Call(RenderState st, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var p = _def.Params;
        if (args.Count > p.Length && !_def.UsesVarargs)
        {
            throw new JinjaException(JinjaErrorKind.Runtime, $"macro '{_def.Name}' takes not more than {p.Length} argument(s)");
        }
        var scope = new Scope(_closure);
        var used = 0;
        for (var i = 0; i < p.Length; i++)
        {
            object? value;
            if (i < args.Count)
            {
                if (kwargs.ContainsKey(p[i]))
                {
                    throw new JinjaException(JinjaErrorKind.Runtime, $"macro '{_def.Name}' got multiple values for argument '{p[i]}'");
                }
                value = args[i];
            }
            else if (kwargs.TryGetValue(p[i], out value))
            {
                used++;
            }
            else if (_def.Defaults[i] is { } def)
            {
                value = def.Eval(st, scope);
            }
            else
            {
                value = new Undefined(p[i], $"parameter '{p[i]}' was not provided");
            }
            scope.Set(p[i], value);
        }
        if (_def.UsesCaller)
        {
            if (kwargs.TryGetValue("caller", out var caller))
            {
                used++;
                scope.Set("caller", caller);
            }
            else
            {
                scope.Set("caller", new Undefined("caller", "No caller defined"));
            }
        }
        if (used < kwargs.Count)
        {
            Dictionary<string, object?>? extra = null;
            foreach (var pair in kwargs)
            {
                if (Array.IndexOf(p, pair.Key) >= 0 || (_def.UsesCaller && pair.Key == "caller"))
                {
                    continue;
                }
                if (!_def.UsesKwargs)
                {
                    throw new JinjaException(JinjaErrorKind.Runtime, $"macro '{_def.Name}' takes no keyword argument '{pair.Key}'");
                }
                extra ??= new Dictionary<string, object?>(StringComparer.Ordinal);
                extra[pair.Key] = pair.Value;
            }
            if (_def.UsesKwargs)
            {
                scope.Set("kwargs", extra ?? new Dictionary<string, object?>(StringComparer.Ordinal));
            }
        }
        else if (_def.UsesKwargs)
        {
            scope.Set("kwargs", new Dictionary<string, object?>(StringComparer.Ordinal));
        }
        if (_def.UsesVarargs)
        {
            scope.Set("varargs", args.Count > p.Length ? new PyTuple(args.Skip(p.Length).ToArray()) : new PyTuple([]));
        }
        var sb = new StringBuilder();
        var saved = st.CurrentTemplate;
        st.Enter();
        try
        {
            st.CurrentTemplate = _def.TemplateName;
            Stmt.RunBody(_def.Body, st, scope, sb);
        }
        finally
        {
            st.CurrentTemplate = saved;
            st.Leave();
        }
        return sb.ToString();
    }
}
