namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>Jinja2's <c>Undefined</c>: the value of a missing variable, attribute or item.</summary>
internal sealed class Undefined
{
    private readonly string? _hint;
    private readonly string? _name;
    private readonly object? _owner;
    private readonly bool _hasOwner;

    public Undefined(string? name, string? hint = null)
    {
        _name = name;
        _hint = hint;
    }

    public Undefined(object? owner, string name)
    {
        _owner = owner;
        _hasOwner = true;
        _name = name;
    }

    public string? Name => _name;

    /// <summary>Set for the value of an inline <c>x if c</c> without else: Jinja2 uses the lenient Undefined there even in strict mode.</summary>
    public bool AlwaysLenient { get; init; }

    public bool Fails(RenderState st) => st.Strict && !AlwaysLenient;

    public string Message
    {
        get
        {
            if (_hint is not null)
            {
                return _hint;
            }
            if (!_hasOwner)
            {
                return $"'{_name}' is undefined";
            }
            return $"'{Py.TypeName(_owner)} object' has no attribute '{_name}'";
        }
    }

    public JinjaException Error() => new(JinjaErrorKind.Undefined, Message);
}
