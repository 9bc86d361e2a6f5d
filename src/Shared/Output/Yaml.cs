namespace Orchestrator.Shared.Output;

/// <summary>Salt's <c>yaml</c> outputter: PyYAML <c>safe_dump(data, default_flow_style=False, allow_unicode=True)</c>.</summary>
/// <remarks>
/// Block style with 2-space indentation, mapping keys sorted, lists under a key not indented (<c>key:\n- a</c>), empty
/// collections as <c>{}</c>/<c>[]</c>, <c>null</c>/<c>true</c>/<c>false</c>, and strings quoted only when PyYAML would quote
/// them: single quotes for text that would otherwise read as another type (<c>'yes'</c>, <c>'1.0'</c>, <c>''</c>) or holds
/// line breaks, double quotes with escapes for control characters. Long plain and quoted strings are folded at 80
/// columns as PyYAML does.
/// </remarks>
public sealed class YamlOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options) =>
        OutputterBase.Format(data, options, static (d, o) => PyYamlEmitter.Dump(d, o.Indent is >= 2 and <= 9 ? o.Indent.Value : 2));
}
