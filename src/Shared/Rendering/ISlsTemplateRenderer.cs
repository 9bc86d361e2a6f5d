namespace Orchestrator.Shared.Rendering;

/// <summary>
/// The seam to the template engine (Jinja): renders SLS text before YAML, and file templates for <c>file.managed</c>.
/// </summary>
/// <remarks>
/// The context of <see cref="Render"/> carries Salt's template globals (<c>sls</c>, <c>saltenv</c>, <c>pillar</c>, <c>grains</c>,
/// <c>opts</c>, plus <c>context</c>/<c>defaults</c> of a file state). Throw to report a render error; its message is shown.
/// </remarks>
public interface ISlsTemplateRenderer
{
    /// <summary>Renders template text; <paramref name="path"/> names the file in errors.</summary>
    string Render(string source, string path, IReadOnlyDictionary<string, object?> context);
}
