using Orchestrator.Shared.Rendering.Jinja;

namespace Orchestrator.Shared.Rendering;

/// <summary>
/// Renders SLS and file templates with the project's Jinja engine: the template globals come with each call, extra
/// globals (such as the minion's <c>salt</c> function mapping) and the loader for <c>import</c>/<c>include</c> with the renderer.
/// </summary>
/// <remarks>One instance serves one run: its environment caches parsed templates by name, which is right within a run
/// and would be stale across runs once files change.</remarks>
public sealed class JinjaTemplateRenderer : ISlsTemplateRenderer
{
    private readonly JinjaEnvironment _environment;
    private readonly IReadOnlyDictionary<string, object?> _globals;

    /// <summary>Creates a renderer.</summary>
    /// <param name="loader">Returns a template's text by name (relative to the tree's root), or null when there is none.</param>
    /// <param name="globals">Values every template sees in addition to the per-call context.</param>
    public JinjaTemplateRenderer(Func<string, string?> loader, IReadOnlyDictionary<string, object?>? globals = null)
    {
        // Names are paths relative to the tree's root, as in Salt: "salt://x" is not a template name there and is not found.
        _environment = new JinjaEnvironment { Loader = name => name.Contains("://", StringComparison.Ordinal) ? null : loader(name) };
        _globals = globals ?? new Dictionary<string, object?>();
    }

    /// <inheritdoc />
    public string Render(string source, string path, IReadOnlyDictionary<string, object?> context)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in _globals)
        {
            variables[key] = value;
        }
        foreach (var (key, value) in context)
        {
            variables[key] = value;
        }
        return _environment.Parse(source, path).Render(variables);
    }
}
