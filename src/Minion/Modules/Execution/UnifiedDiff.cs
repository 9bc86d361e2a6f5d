using System.Text;
using DiffPlex;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Unified diffs (like Python's <c>difflib.unified_diff</c>) for <c>file.replace</c>'s <c>show_changes</c>.</summary>
internal static class UnifiedDiff
{
    public static string Create(string oldText, string newText, string fromFile, string toFile, int context = 3)
    {
        if (oldText == newText)
        {
            return string.Empty;
        }
        var diff = Differ.Instance.CreateLineDiffs(oldText, newText, ignoreWhitespace: false, ignoreCase: false);
        var oldLines = diff.PiecesOld;
        var newLines = diff.PiecesNew;
        // A final newline yields an empty last piece, which difflib does not count as a line.
        var oldCount = oldText.EndsWith('\n') && oldLines.Count > 0 && oldLines[^1].Length == 0 ? oldLines.Count - 1 : oldLines.Count;
        var blocks = diff.DiffBlocks;
        var text = new StringBuilder();
        text.Append("--- ").Append(fromFile).Append('\n');
        text.Append("+++ ").Append(toFile).Append('\n');
        var first = 0;
        while (first < blocks.Count)
        {
            // Blocks closer than two contexts apart share a hunk.
            var last = first;
            while (last + 1 < blocks.Count
                && blocks[last + 1].DeleteStartA - (blocks[last].DeleteStartA + blocks[last].DeleteCountA) <= 2 * context)
            {
                last++;
            }
            var startA = Math.Max(0, blocks[first].DeleteStartA - context);
            var startB = blocks[first].InsertStartB - (blocks[first].DeleteStartA - startA);
            var endOfLastA = blocks[last].DeleteStartA + blocks[last].DeleteCountA;
            var endA = Math.Max(endOfLastA, Math.Min(oldCount, endOfLastA + context));
            var endB = blocks[last].InsertStartB + blocks[last].InsertCountB + (endA - endOfLastA);
            text.Append("@@ -").Append(Range(startA, endA - startA)).Append(" +").Append(Range(startB, endB - startB)).Append(" @@\n");
            var cursor = startA;
            for (var i = first; i <= last; i++)
            {
                var block = blocks[i];
                for (; cursor < block.DeleteStartA; cursor++)
                {
                    text.Append(' ').Append(oldLines[cursor]).Append('\n');
                }
                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    text.Append('-').Append(oldLines[block.DeleteStartA + d]).Append('\n');
                }
                for (var n = 0; n < block.InsertCountB; n++)
                {
                    text.Append('+').Append(newLines[block.InsertStartB + n]).Append('\n');
                }
                cursor = block.DeleteStartA + block.DeleteCountA;
            }
            for (; cursor < endA; cursor++)
            {
                text.Append(' ').Append(oldLines[cursor]).Append('\n');
            }
            first = last + 1;
        }
        return text.ToString();
    }

    private static string Range(int start, int length) => length switch
    {
        0 => $"{start},0",
        1 => $"{start + 1}",
        _ => $"{start + 1},{length}",
    };
}
