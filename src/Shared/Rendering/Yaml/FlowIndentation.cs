namespace Orchestrator.Shared.Rendering.Yaml;

/// <summary>
/// Indents the continuation lines of flow collections (<c>{...}</c>, <c>[...]</c> over several lines) deeper than the
/// line they open on. PyYAML, and so Salt, ignores indentation inside flow context, and its emitter itself writes such
/// lines (a formula's <c>map: {{ data | yaml }}</c> continues a long flow mapping at four spaces under a key indented
/// eight); YamlDotNet rejects them. Leading white space of a line in flow context is never content (plain and quoted
/// scalars fold it away), so adding some changes no value.
/// </summary>
/// <remarks>
/// The scan knows quotes, comments and block scalars (whose lines are content and are left alone). It runs only on text
/// that YamlDotNet failed to read, so text it reads already is never changed.
/// </remarks>
internal static class FlowIndentation
{
    /// <summary>The text with flow continuation lines re-indented, or null when there is none to re-indent.</summary>
    public static string? Normalize(string text)
    {
        var lines = text.Split('\n');
        var changed = false;
        var depth = 0;
        var openIndent = 0;
        var quote = '\0';
        var blockParent = -1;
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var indent = line.Length - line.TrimStart(' ').Length;
            var blank = line.Trim().Length == 0;
            if (blockParent >= 0)
            {
                if (blank || indent > blockParent)
                {
                    continue;
                }
                blockParent = -1;
            }
            if ((depth > 0 || quote != '\0') && !blank && indent <= openIndent && depth > 0)
            {
                lines[n] = new string(' ', openIndent + 2 - indent) + line;
                changed = true;
                line = lines[n];
            }
            var nodeStart = true;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quote == '"')
                {
                    if (c == '\\')
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        quote = '\0';
                    }
                    continue;
                }
                if (quote == '\'')
                {
                    if (c == '\'' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i++;
                    }
                    else if (c == '\'')
                    {
                        quote = '\0';
                    }
                    continue;
                }
                if (c is ' ' or '\t' or '\r')
                {
                    continue;
                }
                if (c == '#' && (i == 0 || line[i - 1] is ' ' or '\t'))
                {
                    break;
                }
                switch (c)
                {
                    case '[' or '{' when depth > 0 || nodeStart:
                        if (depth++ == 0)
                        {
                            openIndent = indent;
                        }
                        nodeStart = true;
                        continue;
                    case ']' or '}' when depth > 0:
                        depth--;
                        nodeStart = false;
                        continue;
                    case ',' when depth > 0:
                        nodeStart = true;
                        continue;
                    case '"' or '\'' when nodeStart:
                        quote = c;
                        nodeStart = false;
                        continue;
                    case '|' or '>' when nodeStart && depth == 0:
                        // A block scalar: its lines, more indented than this one, are content.
                        blockParent = indent;
                        i = line.Length;
                        continue;
                    case '-' or '?' when nodeStart && (i + 1 == line.Length || line[i + 1] is ' ' or '\t'):
                        continue;
                    case ':' when i + 1 == line.Length || line[i + 1] is ' ' or '\t' || depth > 0:
                        nodeStart = true;
                        continue;
                    default:
                        nodeStart = false;
                        continue;
                }
            }
        }
        return changed ? string.Join('\n', lines) : null;
    }
}
