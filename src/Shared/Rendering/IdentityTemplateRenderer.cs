namespace Orchestrator.Shared.Rendering;

/// <summary>A renderer that returns the text unchanged; the default until a Jinja engine is wired.</summary>
public sealed class IdentityTemplateRenderer : ISlsTemplateRenderer
{
    /// <summary>The shared instance.</summary>
    public static IdentityTemplateRenderer Instance { get; } = new();

    /// <summary>Returns the source unchanged.</summary>
    public string Render(string source, string path, IReadOnlyDictionary<string, object?> context) => source;
}
