using System.Text;

namespace Orchestrator.StateBench;

/// <summary>A plain-text table: left-aligned first column, right-aligned figures.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = i < cells.Count ? cells[i] : string.Empty;
                sb.Append(i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
                sb.Append(i + 1 < widths.Length ? "  " : "\n");
            }
        }
        Line(headers);
        sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in _rows)
        {
            Line(row);
        }
        return sb.ToString();
    }
}

internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Ms(double ms) => ms >= 100 ? $"{ms:F0}" : ms >= 10 ? $"{ms:F1}" : $"{ms:F2}";

    public static string Mb(double bytes) => $"{bytes / (1024.0 * 1024.0):F1}";

    public static string Rate(double perSecond) => perSecond >= 1000 ? $"{perSecond:N0}" : $"{perSecond:F1}";
}
