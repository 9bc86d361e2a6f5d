using System.Text;
using DiffPlex;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Python <c>difflib.unified_diff</c>-style text (3 lines of context), as Salt puts in <c>changes['diff']</c>.</summary>
internal static class UnifiedDiff
{
    public static string Create(string oldText, string newText)
    {
        var a = SplitKeep(oldText);
        var b = SplitKeep(newText);
        var diff = Differ.Instance.CreateLineDiffs(string.Join(string.Empty, a.Select(Escape)), string.Join(string.Empty, b.Select(Escape)), false);
        var blocks = diff.DiffBlocks;
        if (blocks.Count == 0)
        {
            return string.Empty;
        }
        var sb = new StringBuilder("--- \n+++ \n");
        const int context = 3;
        var i = 0;
        while (i < blocks.Count)
        {
            var startA = Math.Max(0, blocks[i].DeleteStartA - context);
            var startB = Math.Max(0, blocks[i].InsertStartB - context);
            var j = i;
            while (j + 1 < blocks.Count
                && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * context)
            {
                j++;
            }
            var endA = Math.Min(a.Count, blocks[j].DeleteStartA + blocks[j].DeleteCountA + context);
            var endB = Math.Min(b.Count, blocks[j].InsertStartB + blocks[j].InsertCountB + context);
            sb.Append("@@ -").Append(Range(startA, endA - startA)).Append(" +").Append(Range(startB, endB - startB)).Append(" @@\n");
            var posA = startA;
            for (var k = i; k <= j; k++)
            {
                var block = blocks[k];
                for (; posA < block.DeleteStartA; posA++)
                {
                    Line(sb, ' ', a[posA]);
                }
                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    Line(sb, '-', a[block.DeleteStartA + d]);
                }
                for (var n = 0; n < block.InsertCountB; n++)
                {
                    Line(sb, '+', b[block.InsertStartB + n]);
                }
                posA = block.DeleteStartA + block.DeleteCountA;
            }
            for (; posA < endA; posA++)
            {
                Line(sb, ' ', a[posA]);
            }
            i = j + 1;
        }
        return sb.ToString();
    }

    private static string Escape(string line) => line.EndsWith('\n') ? line : line + "\u0000\n";

    private static void Line(StringBuilder sb, char prefix, string line)
    {
        sb.Append(prefix).Append(line);
        if (!line.EndsWith('\n'))
        {
            sb.Append('\n');
        }
    }

    private static string Range(int start, int length) => length switch
    {
        1 => (start + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        0 => $"{start},0",
        _ => $"{start + 1},{length}",
    };

    private static List<string> SplitKeep(string text)
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
