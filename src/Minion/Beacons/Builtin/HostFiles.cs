using System.Globalization;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>Reads host facts under a root directory ("/" outside tests), the way the grains and the status module do.</summary>
internal static class HostFiles
{
    public static string PathOf(string root, string relative) => Path.Combine(root, relative);

    public static string Read(string root, string relative) => File.ReadAllText(PathOf(root, relative));

    /// <summary>The 1, 5 and 15 minute load averages from <c>proc/loadavg</c>.</summary>
    public static (double One, double Five, double Fifteen) LoadAverages(string root)
    {
        var parts = Read(root, "proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            throw new InvalidDataException($"{PathOf(root, "proc/loadavg")}: expected three load averages");
        }
        return (Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));
    }

    /// <summary>Fields of <c>proc/meminfo</c> in kB, by name.</summary>
    public static Dictionary<string, long> MemInfo(string root)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in Read(root, "proc/meminfo").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            var value = colon < 0 ? [] : line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (value.Length > 0 && long.TryParse(value[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
            {
                fields[line[..colon].Trim()] = kb;
            }
        }
        return fields;
    }

    /// <summary>Mount points from <c>proc/self/mounts</c> (else <c>proc/mounts</c>), with the kernel's octal escapes undone.</summary>
    public static List<string> MountPoints(string root)
    {
        var path = File.Exists(PathOf(root, "proc/self/mounts")) ? "proc/self/mounts" : "proc/mounts";
        return Read(root, path).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(columns => columns.Length > 1)
            .Select(columns => Unescape(columns[1]))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Python's rounding to one decimal, as psutil reports percentages.</summary>
    public static double Percent(double part, double whole) =>
        whole <= 0 ? 0.0 : Math.Round(part / whole * 100, 1, MidpointRounding.ToEven);

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }
        var result = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                result.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }
        return result.ToString();
    }

    private static bool IsOctal(string text, int start) =>
        start + 3 <= text.Length && text.Substring(start, 3).All(c => c is >= '0' and <= '7');
}
