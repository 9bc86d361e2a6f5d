namespace Orchestrator.Shared.Output;

/// <summary>Turns a return (usually the per-minion map <c>{minion_id: return}</c>) into the text <c>orch</c> prints, like one of
/// Salt's <c>--out</c> outputters.</summary>
/// <remarks>
/// The result is what Salt's <c>display_output</c> prints: the outputter's text with trailing whitespace removed. The
/// caller writes it followed by a newline, and writes nothing at all when it is empty. Input is normalized with
/// <see cref="Data.DataTree.Normalize"/> first, so any supported .NET shape is accepted. Implementations are stateless
/// and thread-safe.
/// </remarks>
public interface IOutputter
{
    /// <summary>Formats <paramref name="data"/>.</summary>
    /// <param name="data">The data to print; for job returns, a map from minion id to that minion's return.</param>
    /// <param name="options">Colour, <c>--static</c>, indentation and return-code settings.</param>
    string Format(object? data, OutputOptions options);
}
