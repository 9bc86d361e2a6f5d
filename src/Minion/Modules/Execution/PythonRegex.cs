using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Translates what Salt users write for Python's <c>re</c> (flags, <c>\1</c> replacements) into .NET regex terms.</summary>
internal static class PythonRegex
{
    /// <summary>Flags as Salt accepts them: an int bitmask of <c>re</c> constants, or a list/comma string of names.</summary>
    public static RegexOptions Options(object? flags) => flags switch
    {
        null => RegexOptions.None,
        long bits => FromBits(bits),
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bits) => FromBits(bits),
        string s => FromNames(s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        List<object?> names => FromNames(names.Select(n => Convert.ToString(n, CultureInfo.InvariantCulture) ?? "")),
        _ => throw new ModuleException($"Invalid regex flags: {flags}"),
    };

    private static RegexOptions FromBits(long bits)
    {
        var options = RegexOptions.None;
        if ((bits & 2) != 0)
        {
            options |= RegexOptions.IgnoreCase;
        }
        if ((bits & 8) != 0)
        {
            options |= RegexOptions.Multiline;
        }
        if ((bits & 16) != 0)
        {
            options |= RegexOptions.Singleline;
        }
        if ((bits & 64) != 0)
        {
            options |= RegexOptions.IgnorePatternWhitespace;
        }
        return options;
    }

    private static RegexOptions FromNames(IEnumerable<string> names)
    {
        var options = RegexOptions.None;
        foreach (var name in names)
        {
            options |= name.ToUpperInvariant() switch
            {
                "I" or "IGNORECASE" => RegexOptions.IgnoreCase,
                "M" or "MULTILINE" => RegexOptions.Multiline,
                "S" or "DOTALL" => RegexOptions.Singleline,
                "X" or "VERBOSE" => RegexOptions.IgnorePatternWhitespace,
                "U" or "UNICODE" or "L" or "LOCALE" or "A" or "ASCII" => RegexOptions.None,
                _ => throw new ModuleException($"Invalid regex flag: {name}"),
            };
        }
        return options;
    }

    public static Regex Compile(string pattern, RegexOptions options)
    {
        try
        {
            // Python's (?P<name>...) and (?P=name) spellings.
            var dotnet = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
            dotnet = Regex.Replace(dotnet, @"\(\?P=(\w+)\)", @"\k<$1>");
            return new Regex(dotnet, options, TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException e)
        {
            throw new ModuleException($"Invalid regular expression '{pattern}': {e.Message}", e);
        }
    }

    /// <summary>Converts a Python replacement string (<c>\1</c>, <c>\g&lt;name&gt;</c>, <c>\n</c>) to a .NET one.</summary>
    public static string Replacement(string repl, bool backslashLiteral = false)
    {
        var result = new StringBuilder(repl.Length);
        for (var i = 0; i < repl.Length; i++)
        {
            var c = repl[i];
            if (c == '$')
            {
                result.Append("$$");
                continue;
            }
            if (c != '\\' || i + 1 >= repl.Length || backslashLiteral)
            {
                result.Append(c);
                continue;
            }
            var next = repl[++i];
            switch (next)
            {
                case >= '0' and <= '9':
                    var digits = next.ToString();
                    if (i + 1 < repl.Length && char.IsAsciiDigit(repl[i + 1]))
                    {
                        digits += repl[++i];
                    }
                    result.Append("${").Append(digits).Append('}');
                    break;
                case 'g' when i + 1 < repl.Length && repl[i + 1] == '<':
                    var close = repl.IndexOf('>', i);
                    if (close < 0)
                    {
                        throw new ModuleException($"Invalid group reference in replacement '{repl}'");
                    }
                    result.Append("${").Append(repl, i + 2, close - i - 2).Append('}');
                    i = close;
                    break;
                case 'n':
                    result.Append('\n');
                    break;
                case 't':
                    result.Append('\t');
                    break;
                case 'r':
                    result.Append('\r');
                    break;
                case '\\':
                    result.Append('\\');
                    break;
                default:
                    result.Append('\\').Append(next);
                    break;
            }
        }
        return result.ToString();
    }
}
