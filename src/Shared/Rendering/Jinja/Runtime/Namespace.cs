namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>Jinja2's <c>namespace()</c>: attributes can be assigned with <c>{% set ns.x = 1 %}</c> from inner scopes.</summary>
internal sealed class Namespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
