using Orchestrator.Shared.Rendering;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// Passes the Jinja stage to the shared renderer and keeps its output, so an action can be given the line YAML read it
/// from. One per render.
/// </summary>
internal sealed class CapturingTemplateRenderer(ISlsTemplateRenderer inner) : ISlsTemplateRenderer
{
    public string? Output { get; private set; }

    public string Render(string source, string path, IReadOnlyDictionary<string, object?> context)
    {
        Output = inner.Render(source, path, context);
        return Output;
    }
}
