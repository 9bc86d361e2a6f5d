namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>One level of variables: the template root, a loop body, a macro call, an include.</summary>
internal sealed class Scope
{
    private Dictionary<string, object?>? _vars;

    public Scope(Scope? parent)
    {
        Parent = parent;
    }

    public Scope? Parent { get; }

    public Dictionary<string, object?> Vars => _vars ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    public bool HasVars => _vars is not null && _vars.Count > 0;

    public void Set(string name, object? value) => Vars[name] = value;

    public bool TryGetLocal(string name, out object? value)
    {
        if (_vars is not null && _vars.TryGetValue(name, out value))
        {
            return true;
        }
        value = null;
        return false;
    }

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s._vars is not null && s._vars.TryGetValue(name, out value))
            {
                return true;
            }
        }
        value = null;
        return false;
    }
}
