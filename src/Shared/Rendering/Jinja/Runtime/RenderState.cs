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
    }

    public JinjaEnvironment Env { get; }

    public bool Strict { get; }

    public IDictionary<string, object?> Context { get; }

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
