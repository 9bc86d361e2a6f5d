using System.Text;

namespace Orchestrator.Shared.Output;

/// <summary>Salt's default <c>nested</c> outputter: one <c>key:</c> line per mapping key with the value indented 4 spaces below.</summary>
/// <remarks>
/// <para>Layout (from <c>salt/output/nested.py</c>): mapping keys are sorted and printed as <c>key:</c>; a mapping below the top
/// level starts with a <c>----------</c> line; list items are <c>- item</c>, and a list item that is itself a list or mapping
/// is introduced by <c>|_</c> and indented 2 more; strings are printed line by line (an empty string prints nothing);
/// <c>None</c>, <c>True</c>, <c>False</c> and numbers print in Python's spelling.</para>
/// <para>Colours (when <see cref="OutputOptions.Color"/>): keys and <c>----------</c> cyan, strings and <c>|_</c> green,
/// <c>None</c>/booleans/numbers light yellow; keys, <c>----------</c> and <c>|_</c> turn red when
/// <see cref="OutputOptions.Retcode"/> is non-zero.</para>
/// </remarks>
public sealed class NestedOutputter : IOutputter
{
    /// <inheritdoc />
    public string Format(object? data, OutputOptions options) => OutputterBase.Format(data, options, Render);

    private static string Render(object? data, OutputOptions options)
    {
        var lines = new List<string>();
        Display(data, Math.Max(0, options.NestedIndent), string.Empty, lines, AnsiColors.For(options), options);
        return string.Join("\n", lines);
    }

    private static void Display(object? value, int indent, string prefix, List<string> lines, AnsiColors colors, OutputOptions options)
    {
        var structure = options.Retcode != 0 ? colors.Red : null;
        switch (value)
        {
            case null or bool:
                lines.Add(Line(indent, colors.LightYellow, PyFormat.Str(value), prefix, string.Empty, colors));
                break;
            case long or double:
                lines.Add(Line(indent, colors.LightYellow, PyFormat.Repr(value), prefix, string.Empty, colors));
                break;
            case string text:
                var first = true;
                foreach (var raw in PyFormat.SplitLines(text))
                {
                    var line = options.StripColors ? raw.Replace('\e', '?') : raw;
                    lines.Add(Line(indent, colors.Green, line, first ? prefix : new string(' ', prefix.Length), string.Empty, colors));
                    first = false;
                }
                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list)
                {
                    if (item is IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>)
                    {
                        lines.Add(Line(indent, structure ?? colors.Green, "|_", string.Empty, string.Empty, colors));
                        Display(item, indent + 2, item is IReadOnlyList<object?> ? "- " : string.Empty, lines, colors, options);
                    }
                    else
                    {
                        Display(item, indent, "- ", lines, colors, options);
                    }
                }
                break;
            case IReadOnlyDictionary<string, object?> map:
                if (indent > 0)
                {
                    lines.Add(Line(indent, structure ?? colors.Cyan, "----------", string.Empty, string.Empty, colors));
                }
                foreach (var key in PyFormat.OrderKeys(map.Keys, sort: true))
                {
                    lines.Add(Line(indent, structure ?? colors.Cyan, key, prefix, ":", colors));
                    Display(map[key], indent + 4, string.Empty, lines, colors, options);
                }
                break;
            default:
                lines.Add(Line(indent, colors.Green, PyFormat.Str(value), prefix, string.Empty, colors));
                break;
        }
    }

    private static string Line(int indent, string color, string message, string prefix, string suffix, AnsiColors colors) =>
        new StringBuilder(indent + color.Length + prefix.Length + message.Length + colors.EndColor.Length + suffix.Length)
            .Append(' ', indent)
            .Append(color)
            .Append(prefix)
            .Append(message)
            .Append(colors.EndColor)
            .Append(suffix)
            .ToString();
}
