using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Shared.Rendering;

/// <summary>
/// Renders SLS text to data: the shebang (<c>#!jinja|yaml</c>, <c>#!yaml</c>, <c>#!jinja|json</c>) picks the pipe, Jinja runs
/// behind <see cref="ISlsTemplateRenderer"/>, YAML through <see cref="YamlLoader"/>. The default pipe is <c>jinja|yaml</c>.
/// </summary>
public sealed class SlsRenderPipeline(ISlsTemplateRenderer? templates = null, string defaultPipe = "jinja|yaml")
{
    /// <summary>The template engine behind the <c>jinja</c> stage.</summary>
    public ISlsTemplateRenderer Templates { get; } = templates ?? IdentityTemplateRenderer.Instance;

    /// <summary>Runs the file's shebang pipeline (default <c>jinja|yaml</c>) and returns the data; errors name <paramref name="path"/>.</summary>
    public object? Render(string text, string path, IReadOnlyDictionary<string, object?> context)
    {
        var pipe = defaultPipe;
        if (text.StartsWith("#!", StringComparison.Ordinal))
        {
            var end = text.IndexOf('\n');
            pipe = (end < 0 ? text[2..] : text[2..end]).Trim();
            text = end < 0 ? string.Empty : text[(end + 1)..];
        }
        object? current = text;
        foreach (var stage in pipe.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var source = current as string ?? throw new InvalidOperationException($"renderer '{stage}' needs text input");
            current = stage switch
            {
                "jinja" => Templates.Render(source, path, context),
                "yaml" => YamlLoader.Load(source, path),
                "json" => string.IsNullOrWhiteSpace(source) ? null : DataTree.FromJson(source),
                "raw" or "text" => source,
                _ => throw new InvalidOperationException($"The renderer \"{stage}\" is not available"),
            };
        }
        return current;
    }
}
