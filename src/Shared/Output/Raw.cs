namespace Orchestrator.Shared.Output;

/// <summary>Salt's <c>raw</c> outputter: Python's <c>str()</c> of the data, e.g. <c>{'web1': True}</c>.</summary>
/// <remarks>Strings print as-is; everything else in Python literal syntax (<c>None</c>, <c>True</c>, <c>'text'</c>, <c>[1, 2]</c>),
/// mapping keys in their given order.</remarks>
public sealed class RawOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options) => OutputterBase.Format(data, options, static (d, _) => PyFormat.Str(d));
}
