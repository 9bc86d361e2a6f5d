using System.Globalization;
using System.Text;

namespace Orchestrator.Shared.Data;

/// <summary>Python's <c>datetime.strftime</c> in the C locale, with the glibc directives Python passes through on Linux.</summary>
public static class PyStrftime
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>Formats <paramref name="time"/>; an unknown directive is written as it stands, as glibc does.</summary>
    /// <param name="time">The time, with the offset <c>%z</c> and <c>%Z</c> print.</param>
    /// <param name="format">The format, e.g. <c>%y-%m-%d_%H:%M:%S</c>.</param>
    /// <param name="zoneName">What <c>%Z</c> prints for an aware time; null (a naive time, as <c>datetime.today()</c> gives)
    /// makes <c>%z</c> and <c>%Z</c> print nothing.</param>
    public static string Format(DateTimeOffset time, string format, string? zoneName = null)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var directive = format[++i];
            var text = Directive(time, directive, zoneName);
            if (text is null)
            {
                sb.Append('%').Append(directive);
            }
            else
            {
                sb.Append(text);
            }
        }
        return sb.ToString();
    }

    private static string? Directive(DateTimeOffset t, char directive, string? zoneName)
    {
        var d = t.DateTime;
        var hour12 = d.Hour % 12 == 0 ? 12 : d.Hour % 12;
        return directive switch
        {
            'a' => Days[(int)d.DayOfWeek][..3],
            'A' => Days[(int)d.DayOfWeek],
            'b' or 'h' => Months[d.Month - 1][..3],
            'B' => Months[d.Month - 1],
            'c' => Format(t, "%a %b %e %H:%M:%S %Y", zoneName),
            'C' => Two(d.Year / 100),
            'd' => Two(d.Day),
            'D' => Format(t, "%m/%d/%y", zoneName),
            'e' => d.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
            'f' => (d.Ticks % TimeSpan.TicksPerSecond / 10).ToString("D6", CultureInfo.InvariantCulture),
            'F' => Format(t, "%Y-%m-%d", zoneName),
            'g' => Two(ISOWeek.GetYear(d) % 100),
            'G' => ISOWeek.GetYear(d).ToString(CultureInfo.InvariantCulture),
            'H' => Two(d.Hour),
            'I' => Two(hour12),
            'j' => d.DayOfYear.ToString("D3", CultureInfo.InvariantCulture),
            'k' => d.Hour.ToString(CultureInfo.InvariantCulture).PadLeft(2),
            'l' => hour12.ToString(CultureInfo.InvariantCulture).PadLeft(2),
            'm' => Two(d.Month),
            'M' => Two(d.Minute),
            'n' => "\n",
            'p' => d.Hour < 12 ? "AM" : "PM",
            'P' => d.Hour < 12 ? "am" : "pm",
            'r' => Format(t, "%I:%M:%S %p", zoneName),
            'R' => Format(t, "%H:%M", zoneName),
            's' => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            'S' => Two(d.Second),
            't' => "\t",
            'T' => Format(t, "%H:%M:%S", zoneName),
            'u' => (d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            'U' => Two((d.DayOfYear + 6 - (int)d.DayOfWeek) / 7),
            'V' => Two(ISOWeek.GetWeekOfYear(d)),
            'w' => ((int)d.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            'W' => Two((d.DayOfYear + 6 - (((int)d.DayOfWeek + 6) % 7)) / 7),
            'x' => Format(t, "%m/%d/%y", zoneName),
            'X' => Format(t, "%H:%M:%S", zoneName),
            'y' => Two(d.Year % 100),
            'Y' => d.Year.ToString(CultureInfo.InvariantCulture),
            'z' => zoneName is null ? string.Empty : Offset(t.Offset),
            'Z' => zoneName ?? string.Empty,
            '%' => "%",
            _ => null,
        };
    }

    private static string Two(int value) => value.ToString("D2", CultureInfo.InvariantCulture);

    private static string Offset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return sign + Two(abs.Hours) + Two(abs.Minutes);
    }
}
