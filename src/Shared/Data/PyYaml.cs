using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Rendering.Jinja.Builtins;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Data;

/// <summary>
/// Data trees as PyYAML's <c>safe_dump</c>/<c>safe_load</c> write and read them (sorted keys, PyYAML's scalar styles): what
/// Salt's yaml serializer gives <c>slsutil.serialize</c>. The same writer and reader as Jinja's <c>yaml</c> and <c>load_yaml</c>.
/// </summary>
public static class PyYaml
{
    private static readonly Lazy<JinjaEnvironment> Environment = new(() => new JinjaEnvironment());

    /// <summary>Serializes <paramref name="value"/> without the trailing newline or document end marker.</summary>
    /// <param name="value">A canonical data tree.</param>
    /// <param name="defaultFlowStyle">PyYAML's <c>default_flow_style</c>: true all flow, false all block, null flow for
    /// collections of scalars only.</param>
    public static string Dump(object? value, bool? defaultFlowStyle = null) =>
        YamlWriter.Dump(new RenderState(Environment.Value, null), value, defaultFlowStyle);

    /// <summary>Parses YAML text into the canonical data model, as <c>yaml.safe_load</c> with Salt's loader.</summary>
    /// <exception cref="JinjaException">The text is not valid YAML.</exception>
    public static object? Load(string text) => YamlReader.Load(text);
}
