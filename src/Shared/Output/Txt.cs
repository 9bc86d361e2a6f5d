using System.Text;

namespace Orchestrator.Shared.Output;

/// <summary>Salt's <c>txt</c> outputter: <c>minion: value</c> lines, handy for <c>cmd.run</c>.</summary>
/// <remarks>A string return prints one <c>minion: line</c> per line (an empty string prints nothing); any other return is
/// printed once in Python's <c>str()</c> form (<c>web1: True</c>, <c>web1: {'a': 1}</c>). Data that is not a mapping is
/// printed on its own: a string as-is, anything else in Python's <c>pprint</c> form.</remarks>
public sealed class TxtOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options) => OutputterBase.Format(data, options, Render);

    private static string Render(object? data, OutputOptions options)
    {
        var sb = new StringBuilder();
        switch (data)
        {
            case IReadOnlyDictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    if (value is string text)
                    {
                        foreach (var line in PyFormat.SplitLines(text))
                        {
                            sb.Append(key).Append(": ").Append(line).Append('\n');
                        }
                    }
                    else
                    {
                        sb.Append(key).Append(": ").Append(PyFormat.Str(value)).Append('\n');
                    }
                }
                break;
            case string text:
                sb.Append(text).Append('\n');
                break;
            default:
                sb.Append(PyFormat.SortedRepr(data)).Append('\n');
                break;
        }
        return sb.ToString();
    }
}
