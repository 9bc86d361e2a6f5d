using System.Text;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>
/// Python's <c>difflib.unified_diff</c> (SequenceMatcher with autojunk, 3 lines of context), joined as Salt's
/// <c>stringutils.get_diff</c> does, so <c>changes['diff']</c> matches Salt byte for byte.
/// </summary>
internal static class UnifiedDiff
{
    private readonly record struct Op(char Tag, int I1, int I2, int J1, int J2);

    public static string Create(string oldText, string newText) =>
        Format(PyText.LinesWithEnds(oldText), PyText.LinesWithEnds(newText), string.Empty);

    /// <summary>
    /// <c>"\n".join(difflib.unified_diff(a, b))</c> over lines without their ends, as file.append builds its diff: the
    /// header lines keep their own newline, so they are followed by an empty line.
    /// </summary>
    public static string JoinLines(List<string> a, List<string> b) => Format(a, b, "\n");

    private static string Format(List<string> a, List<string> b, string separator)
    {
        var sb = new StringBuilder();
        var started = false;
        var first = true;
        void Yield(string item)
        {
            if (!first)
            {
                sb.Append(separator);
            }
            first = false;
            sb.Append(item);
        }
        foreach (var group in GroupedOpcodes(a, b, 3))
        {
            if (!started)
            {
                started = true;
                Yield("--- \n");
                Yield("+++ \n");
            }
            var head = group[0];
            var last = group[^1];
            Yield($"@@ -{Range(head.I1, last.I2)} +{Range(head.J1, last.J2)} @@\n");
            foreach (var op in group)
            {
                if (op.Tag == 'e')
                {
                    for (var i = op.I1; i < op.I2; i++)
                    {
                        Yield(" " + a[i]);
                    }
                    continue;
                }
                if (op.Tag is 'r' or 'd')
                {
                    for (var i = op.I1; i < op.I2; i++)
                    {
                        Yield("-" + a[i]);
                    }
                }
                if (op.Tag is 'r' or 'i')
                {
                    for (var j = op.J1; j < op.J2; j++)
                    {
                        Yield("+" + b[j]);
                    }
                }
            }
        }
        return sb.ToString();
    }

    private static string Range(int start, int stop)
    {
        var beginning = start + 1;
        var length = stop - start;
        if (length == 1)
        {
            return beginning.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (length == 0)
        {
            beginning--;
        }
        return $"{beginning},{length}";
    }


    private static List<List<Op>> GroupedOpcodes(List<string> a, List<string> b, int n)
    {
        var codes = Opcodes(a, b);
        if (codes.Count == 0)
        {
            codes.Add(new Op('e', 0, 1, 0, 1));
        }
        if (codes[0].Tag == 'e')
        {
            var c = codes[0];
            codes[0] = c with { I1 = Math.Max(c.I1, c.I2 - n), J1 = Math.Max(c.J1, c.J2 - n) };
        }
        if (codes[^1].Tag == 'e')
        {
            var c = codes[^1];
            codes[^1] = c with { I2 = Math.Min(c.I2, c.I1 + n), J2 = Math.Min(c.J2, c.J1 + n) };
        }
        var groups = new List<List<Op>>();
        var group = new List<Op>();
        foreach (var code in codes)
        {
            var (i1, j1) = (code.I1, code.J1);
            if (code.Tag == 'e' && code.I2 - code.I1 > 2 * n)
            {
                group.Add(new Op('e', code.I1, Math.Min(code.I2, code.I1 + n), code.J1, Math.Min(code.J2, code.J1 + n)));
                groups.Add(group);
                group = [];
                (i1, j1) = (Math.Max(code.I1, code.I2 - n), Math.Max(code.J1, code.J2 - n));
            }
            group.Add(new Op(code.Tag, i1, code.I2, j1, code.J2));
        }
        if (group.Count > 0 && !(group.Count == 1 && group[0].Tag == 'e'))
        {
            groups.Add(group);
        }
        return groups;
    }

    private static List<Op> Opcodes(List<string> a, List<string> b)
    {
        var i = 0;
        var j = 0;
        var answer = new List<Op>();
        foreach (var (ai, bj, size) in MatchingBlocks(a, b))
        {
            var tag = i < ai && j < bj ? 'r' : i < ai ? 'd' : j < bj ? 'i' : '\0';
            if (tag != '\0')
            {
                answer.Add(new Op(tag, i, ai, j, bj));
            }
            (i, j) = (ai + size, bj + size);
            if (size > 0)
            {
                answer.Add(new Op('e', ai, i, bj, j));
            }
        }
        return answer;
    }

    private static List<(int I, int J, int K)> MatchingBlocks(List<string> a, List<string> b)
    {
        var b2j = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var j = 0; j < b.Count; j++)
        {
            if (!b2j.TryGetValue(b[j], out var list))
            {
                list = [];
                b2j[b[j]] = list;
            }
            list.Add(j);
        }
        if (b.Count >= 200)
        {
            var ntest = (b.Count / 100) + 1;
            foreach (var key in b2j.Where(kv => kv.Value.Count > ntest).Select(kv => kv.Key).ToList())
            {
                b2j.Remove(key);
            }
        }
        var blocks = new List<(int I, int J, int K)>();
        var queue = new Stack<(int Alo, int Ahi, int Blo, int Bhi)>();
        queue.Push((0, a.Count, 0, b.Count));
        while (queue.Count > 0)
        {
            var (alo, ahi, blo, bhi) = queue.Pop();
            var (bi, bj, k) = LongestMatch(a, b, b2j, alo, ahi, blo, bhi);
            if (k > 0)
            {
                blocks.Add((bi, bj, k));
                if (alo < bi && blo < bj)
                {
                    queue.Push((alo, bi, blo, bj));
                }
                if (bi + k < ahi && bj + k < bhi)
                {
                    queue.Push((bi + k, ahi, bj + k, bhi));
                }
            }
        }
        blocks.Sort();
        var result = new List<(int, int, int)>();
        int i1 = 0, j1 = 0, k1 = 0;
        foreach (var (i2, j2, k2) in blocks)
        {
            if (i1 + k1 == i2 && j1 + k1 == j2)
            {
                k1 += k2;
            }
            else
            {
                if (k1 > 0)
                {
                    result.Add((i1, j1, k1));
                }
                (i1, j1, k1) = (i2, j2, k2);
            }
        }
        if (k1 > 0)
        {
            result.Add((i1, j1, k1));
        }
        result.Add((a.Count, b.Count, 0));
        return result;
    }

    private static (int I, int J, int K) LongestMatch(
        List<string> a, List<string> b, Dictionary<string, List<int>> b2j, int alo, int ahi, int blo, int bhi)
    {
        int besti = alo, bestj = blo, bestsize = 0;
        var j2len = new Dictionary<int, int>();
        for (var i = alo; i < ahi; i++)
        {
            var newj2len = new Dictionary<int, int>();
            if (b2j.TryGetValue(a[i], out var indices))
            {
                foreach (var j in indices)
                {
                    if (j < blo)
                    {
                        continue;
                    }
                    if (j >= bhi)
                    {
                        break;
                    }
                    var k = j2len.GetValueOrDefault(j - 1) + 1;
                    newj2len[j] = k;
                    if (k > bestsize)
                    {
                        (besti, bestj, bestsize) = (i - k + 1, j - k + 1, k);
                    }
                }
            }
            j2len = newj2len;
        }
        while (besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1])
        {
            (besti, bestj, bestsize) = (besti - 1, bestj - 1, bestsize + 1);
        }
        while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize])
        {
            bestsize++;
        }
        return (besti, bestj, bestsize);
    }
}
