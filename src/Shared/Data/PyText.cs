using System.Globalization;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Data;

/// <summary>Python's <c>str()</c> of data values, used where Salt formats values into tags and comments.</summary>
public static class PyText
{
    /// <summary>Python <c>str()</c> of a value: <c>True</c>, <c>None</c>, <c>1.0</c>, lists and dicts in Python syntax.</summary>
    public static string Str(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when double.IsInteger(d) && Math.Abs(d) < 1e16 => d.ToString("0.0", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        Dictionary<string, object?> dict => "{" + string.Join(", ", dict.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        _ => DataTree.KeyToString(value),
    };

    /// <summary>Python's <c>type(value).__name__</c> for a data-tree value (<c>NoneType</c>, <c>bool</c>, <c>int</c>, <c>float</c>, <c>str</c>, <c>list</c>, <c>dict</c>).</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long or int => "int",
        double or float => "float",
        List<object?> => "list",
        Dictionary<string, object?> => "dict",
        _ => "str",
    };

    /// <summary>Python <c>repr()</c> of a value: strings quoted, everything else as <see cref="Str"/>.</summary>
    public static string Repr(object? value) => value is string s ? "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'" : Str(value);

    /// <summary>Python <c>str.splitlines()</c>: splits on every Unicode line boundary, no trailing empty line.</summary>
    public static List<string> SplitLines(string s) => Orchestrator.Shared.Output.PyFormat.SplitLines(s);

    /// <summary>
    /// The lines of a text with their line ends, as Python iterates a file opened with <c>newline=""</c> (or
    /// <c>splitlines(keepends=True)</c> on <c>\n</c> only): the last line may have none.
    /// </summary>
    public static List<string> LinesWithEnds(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }
        return lines;
    }
}
