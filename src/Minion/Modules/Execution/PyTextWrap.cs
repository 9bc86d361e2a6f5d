using System.Text;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Python's <c>textwrap.TextWrapper(width).wrap</c> and <c>str.center</c>, for <c>slsutil.banner</c>.</summary>
internal static class PyTextWrap
{
    /// <summary>Greedy wrap to <paramref name="width"/> columns: each whitespace character counts as a space, a line may break after a
    /// hyphen inside a word, and a word longer than a line is cut.</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var chunks = Chunks(text).ToList();
        chunks.Reverse();
        while (chunks.Count > 0)
        {
            var line = new List<string>();
            var length = 0;
            // Leading whitespace of a line is dropped (drop_whitespace), except on the very first line of text.
            if (chunks[^1].Trim().Length == 0 && lines.Count > 0)
            {
                chunks.RemoveAt(chunks.Count - 1);
            }
            while (chunks.Count > 0 && length + chunks[^1].Length <= width)
            {
                length += chunks[^1].Length;
                line.Add(chunks[^1]);
                chunks.RemoveAt(chunks.Count - 1);
            }
            if (chunks.Count > 0 && chunks[^1].Length > width)
            {
                // A chunk longer than a whole line: put as much of it as fits here.
                var room = Math.Max(width - length, 1);
                line.Add(chunks[^1][..room]);
                chunks[^1] = chunks[^1][room..];
            }
            if (line.Count > 0 && line[^1].Trim().Length == 0)
            {
                line.RemoveAt(line.Count - 1);
            }
            if (line.Count > 0)
            {
                lines.Add(string.Concat(line));
            }
        }
        return lines;
    }

    /// <summary>Python's <c>str.center</c>: the odd space goes left when both the margin and the width are odd.</summary>
    public static string Center(string text, int width)
    {
        var margin = width - text.Length;
        if (margin <= 0)
        {
            return text;
        }
        var left = (margin / 2) + (margin & width & 1);
        return new string(' ', left) + text + new string(' ', margin - left);
    }

    private static IEnumerable<string> Chunks(string text)
    {
        var sb = new StringBuilder();
        var inSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = char.IsWhiteSpace(text[i]) ? ' ' : text[i];
            var space = c == ' ';
            if (sb.Length > 0 && space != inSpace)
            {
                yield return sb.ToString();
                sb.Clear();
            }
            inSpace = space;
            sb.Append(c);
            // A hyphen between word characters ends a chunk ("well-" "known").
            if (!space && c == '-' && i > 0 && IsWordish(text[i - 1]) && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))
            {
                yield return sb.ToString();
                sb.Clear();
            }
        }
        if (sb.Length > 0)
        {
            yield return sb.ToString();
        }
    }

    private static bool IsWordish(char c) => char.IsLetterOrDigit(c) || c is '_' or '!' or '"' or '\'' or '&' or '.' or ',' or '?';
}
