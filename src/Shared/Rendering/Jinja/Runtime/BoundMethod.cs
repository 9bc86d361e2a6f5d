namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>A Python method bound to its receiver, such as <c>d.items</c> or <c>s.upper</c>.</summary>
internal sealed class BoundMethod : ICallableValue
{
    private readonly Func<RenderState, List<object?>, Dictionary<string, object?>, object?> _body;

    public BoundMethod(string name, object? self, Func<RenderState, List<object?>, Dictionary<string, object?>, object?> body)
    {
        Name = name;
        Self = self;
        _body = body;
    }

    public string Name { get; }

    public object? Self { get; }

    public object? Call(RenderState state, List<object?> args, Dictionary<string, object?> kwargs) => _body(state, args, kwargs);
}
