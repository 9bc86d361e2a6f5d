namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>A template-side callable (macro, loop, caller, bound method) that needs the render state.</summary>
internal interface ICallableValue
{
    object? Call(RenderState state, List<object?> args, Dictionary<string, object?> kwargs);
}
