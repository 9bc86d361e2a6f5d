namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>What <c>{% import 'x' as m %}</c> binds: the exported names plus the rendered body (its <c>str()</c>).</summary>
internal sealed class TemplateModule
{
    public TemplateModule(string name, Dictionary<string, object?> exports, string body)
    {
        Name = name;
        Exports = exports;
        Body = body;
    }

    public string Name { get; }

    public Dictionary<string, object?> Exports { get; }

    public string Body { get; }
}
