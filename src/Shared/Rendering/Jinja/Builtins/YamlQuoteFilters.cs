using System.Globalization;
using System.Text;
using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>
/// Salt's <c>yaml_dquote</c> and <c>yaml_squote</c> (<c>salt.utils.yamlencoding</c>): PyYAML's emitter writing one quoted
/// scalar with an unlimited line width and its default <c>allow_unicode=False</c>, so every character outside printable
/// ASCII is escaped in double quotes, and line breaks are folded (doubled) in single quotes.
/// </summary>
internal static class YamlQuoteFilters
{
    /// <summary>PyYAML's <c>write_double_quoted</c>.</summary>
    public static string DoubleQuoted(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and <= '~' && c is not '"' and not '\\')
            {
                sb.Append(c);
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append("\\U").Append(char.ConvertToUtf32(c, text[++i]).ToString("X8", CultureInfo.InvariantCulture));
                continue;
            }
            sb.Append(PyYamlScalars.Escape(c));
        }
        return sb.Append('"').ToString();
    }

    /// <summary>PyYAML's <c>write_single_quoted</c>: quotes doubled, a run of line breaks written with one more newline.</summary>
    public static string SingleQuoted(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('\'');
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsBreak(c))
            {
                var start = i;
                while (i < text.Length && IsBreak(text[i]))
                {
                    i++;
                }
                if (text[start] == '\n')
                {
                    sb.Append('\n');
                }
                sb.Append(text, start, i - start);
                continue;
            }
            sb.Append(c == '\'' ? "''" : c.ToString());
            i++;
        }
        return sb.Append('\'').ToString();
    }

    private static bool IsBreak(char c) => c is '\n' or '\x85' or '\u2028' or '\u2029';
}
