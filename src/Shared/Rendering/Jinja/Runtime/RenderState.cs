using System.Runtime.CompilerServices;

namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>Per-render state: the environment, the caller's context and the undefined policy. Never shared between renders.</summary>
internal sealed class RenderState
{
    private static readonly Dictionary<string, object?> _emptyContext = new(StringComparer.Ordinal);

    public RenderState(JinjaEnvironment env, IDictionary<string, object?>? context)
    {
        Env = env;
        Strict = env.UndefinedBehavior == JinjaUndefinedBehavior.Strict;
        Context = context ?? _emptyContext;
        Loader = new TemplateLoaderState(Context);
    }

    // A state for a template imported without context: Salt's environment globals (the context plus the tpl* values
    // its loader last set), sharing this render's loader state.
    private RenderState(RenderState parent, IDictionary<string, object?> context)
    {
        Env = parent.Env;
        Strict = parent.Strict;
        Context = context;
        Loader = parent.Loader;
        Depth = parent.Depth;
        CurrentTemplate = parent.CurrentTemplate;
    }

    public JinjaEnvironment Env { get; }

    public bool Strict { get; }

    public IDictionary<string, object?> Context { get; }

    /// <summary>What Salt's template loader remembers during one render: the <c>tpl*</c> globals and the names loaded.</summary>
    public TemplateLoaderState Loader { get; }

    public int Depth { get; set; }

    public string? CurrentTemplate { get; set; }

    public object? Lookup(Scope scope, string name)
    {
        if (scope.TryGet(name, out var value))
        {
            return value;
        }
        if (Context.TryGetValue(name, out value))
        {
            return value;
        }
        if (Env.TryGetGlobal(name, out value))
        {
            return value;
        }
        return new Undefined(name);
    }

    /// <summary>Loads a template named by include/import/from, relative names (<c>./x</c>, <c>../x</c>) as Salt resolves them.</summary>
    public JinjaTemplate? TryLoad(string name)
    {
        if (!Env.SaltLoaderSemantics)
        {
            return Env.TryGetTemplate(name);
        }
        var resolved = Loader.Resolve(name);
        if (resolved is null)
        {
            return null;
        }
        var template = Env.TryGetTemplate(resolved);
        if (template is not null)
        {
            Loader.Loaded(name, resolved);
        }
        return template;
    }

    /// <summary>The state a template imported without context renders in (see <see cref="JinjaEnvironment.ShareContextWithImports"/>).</summary>
    public RenderState ForImport()
    {
        if (!Env.ShareContextWithImports)
        {
            return new RenderState(Env, null);
        }
        if (!Env.SaltLoaderSemantics || Loader.Globals.Count == 0)
        {
            return this;
        }
        var context = new Dictionary<string, object?>(Context, StringComparer.Ordinal);
        foreach (var (key, value) in Loader.Globals)
        {
            context[key] = value;
        }
        return new RenderState(this, context);
    }

    public void Enter()
    {
        // The stack check catches what the count alone does not: renders on threads with small stacks, deep trees per level.
        if (++Depth > 500 || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaException(JinjaErrorKind.Runtime, "maximum recursion depth exceeded");
        }
    }

    public void Leave() => Depth--;
}
