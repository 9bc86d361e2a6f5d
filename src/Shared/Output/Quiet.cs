namespace Orchestrator.Shared.Output;

/// <summary>Salt's <c>quiet</c> outputter: prints nothing.</summary>
public sealed class QuietOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options) => string.Empty;
}
