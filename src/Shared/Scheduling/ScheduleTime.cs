using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Scheduling;

/// <summary>
/// Reads the times of <c>when</c>, <c>range</c>, <c>until</c>, <c>after</c> and <c>skip_during_range</c> the way Salt's
/// <c>dateutil.parser.parse</c> reads the common forms, relative to now: a missing date is today, a weekday alone is that
/// day this week or the next (today counts), a missing time is midnight.
/// </summary>
/// <remarks>
/// Accepted: ISO 8601 (<c>2024-07-06T14:30:00</c>, <c>2024-07-06 14:30</c>, with an optional offset or <c>Z</c>);
/// <c>12/31/2024</c> (month first, as dateutil); month names (<c>Dec 31 2024</c>, <c>31 December 2024</c>); weekdays
/// (<c>Monday</c>, <c>Mon</c>); times <c>17:00</c>, <c>17:00:30</c>, <c>5:00pm</c>, <c>5pm</c>, <c>5:00 PM</c>; in any order,
/// commas ignored. A time without an offset is in the given zone.
/// </remarks>
public static partial class ScheduleTime
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>Parses <paramref name="text"/> relative to <paramref name="now"/> (whose date is "today") in <paramref name="zone"/>.</summary>
    /// <exception cref="FormatException">The text is not one of the accepted forms; the message quotes it.</exception>
    public static DateTimeOffset Parse(string text, DateTimeOffset now, TimeZoneInfo zone)
    {
        var trimmed = text.Trim();
        if (IsoPattern().IsMatch(trimmed))
        {
            return ParseIso(trimmed, zone);
        }
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        int? year = null, month = null, day = null, weekday = null, hour = null, minute = null, second = null;
        string? meridian = null;
        var tokens = trimmed.ToLowerInvariant().Replace(',', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            throw Bad(text);
        }
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token is "am" or "pm" or "a.m." or "p.m.")
            {
                meridian = token[..1];
            }
            else if (Lookup(Weekdays, token) is { } w)
            {
                weekday = w;
            }
            else if (Lookup(Months, token) is { } m)
            {
                month = m + 1;
            }
            else if (TimeShape().Match(token) is { Success: true } time && (time.Groups[2].Success || time.Groups[4].Success))
            {
                hour = int.Parse(time.Groups[1].Value, CultureInfo.InvariantCulture);
                minute = time.Groups[2].Success ? int.Parse(time.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
                second = time.Groups[3].Success ? int.Parse(time.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
                if (time.Groups[4].Success)
                {
                    meridian = time.Groups[4].Value[..1];
                }
            }
            else if (SlashDatePattern().Match(token) is { Success: true } date)
            {
                month = int.Parse(date.Groups[1].Value, CultureInfo.InvariantCulture);
                day = int.Parse(date.Groups[2].Value, CultureInfo.InvariantCulture);
                year = FullYear(date.Groups[3].Value);
            }
            else if (DashDatePattern().Match(token) is { Success: true } iso)
            {
                year = int.Parse(iso.Groups[1].Value, CultureInfo.InvariantCulture);
                month = int.Parse(iso.Groups[2].Value, CultureInfo.InvariantCulture);
                day = int.Parse(iso.Groups[3].Value, CultureInfo.InvariantCulture);
            }
            else if (token.All(char.IsAsciiDigit) && token.Length <= 4)
            {
                var number = int.Parse(token, CultureInfo.InvariantCulture);
                if (token.Length == 4)
                {
                    year = number;
                }
                else if (i + 1 < tokens.Length && tokens[i + 1] is "am" or "pm" or "a.m." or "p.m.")
                {
                    (hour, minute, second) = (number, 0, 0);
                }
                else if (day is null)
                {
                    day = number;
                }
                else
                {
                    year = FullYear(token);
                }
            }
            else
            {
                throw Bad(text);
            }
        }
        if (meridian is not null)
        {
            if (hour is null or < 1 or > 12)
            {
                throw Bad(text);
            }
            hour = meridian == "p" ? hour % 12 + 12 : hour % 12;
        }
        DateTime local;
        try
        {
            var baseDate = new DateTime(year ?? today.Year, month ?? today.Month, day ?? (month is null ? today.Day : 1));
            if (weekday is { } wanted && day is null && month is null && year is null)
            {
                // dateutil's relativedelta(weekday=...): that weekday on or after today.
                var current = ((int)baseDate.DayOfWeek + 6) % 7;
                baseDate = baseDate.AddDays((wanted - current + 7) % 7);
            }
            local = baseDate.Add(new TimeSpan(hour ?? 0, minute ?? 0, second ?? 0));
            if (hour is > 23 || minute is > 59 || second is > 59)
            {
                throw Bad(text);
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Bad(text);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Python's <c>datetime.strptime(text, format)</c> for <c>once</c> and <c>once_fmt</c>, in <paramref name="zone"/>.</summary>
    /// <remarks>Directives: <c>%Y %y %m %d %H %I %M %S %p %b %B %%</c>; numbers may omit their leading zero, as strptime allows.</remarks>
    /// <exception cref="FormatException">The text does not match the format, or the format has another directive.</exception>
    public static DateTimeOffset ParseExact(string text, string format, TimeZoneInfo zone)
    {
        var net = new System.Text.StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                if (char.IsWhiteSpace(format[i]))
                {
                    net.Append(format[i]);
                }
                else
                {
                    net.Append('\\').Append(format[i]);
                }
                continue;
            }
            net.Append(format[++i] switch
            {
                'Y' => "yyyy",
                'y' => "yy",
                'm' => "M",
                'd' => "d",
                'H' => "H",
                'I' => "h",
                'M' => "m",
                'S' => "s",
                'p' => "tt",
                'b' => "MMM",
                'B' => "MMMM",
                '%' => "\\%",
                var other => throw new FormatException($"once_fmt directive %{other} is not supported (use %Y %y %m %d %H %I %M %S %p %b %B)"),
            });
        }
        // A one-letter .NET format would be a standard one; '%' marks it as custom.
        var pattern = net.Length == 1 ? "%" + net : net.ToString();
        if (!DateTime.TryParseExact(text.Trim(), pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var naive))
        {
            throw new FormatException($"'{text}' does not match the format '{format}'");
        }
        return new DateTimeOffset(naive, zone.GetUtcOffset(naive));
    }

    private static DateTimeOffset ParseIso(string text, TimeZoneInfo zone)
    {
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (OffsetPattern().IsMatch(text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var aware) ? aware : throw Bad(text);
        }
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var naive))
        {
            throw Bad(text);
        }
        naive = DateTime.SpecifyKind(naive, DateTimeKind.Unspecified);
        return new DateTimeOffset(naive, zone.GetUtcOffset(naive));
    }

    private static int? Lookup(string[] names, string token)
    {
        var word = token.TrimEnd('.');
        for (var i = 0; i < names.Length; i++)
        {
            if (word.Length >= 3 && names[i].StartsWith(word, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return null;
    }

    private static int FullYear(string digits)
    {
        var value = int.Parse(digits, CultureInfo.InvariantCulture);
        // Python's %y pivot, which dateutil follows for two-digit years.
        return digits.Length > 2 ? value : value < 69 ? 2000 + value : 1900 + value;
    }

    private static FormatException Bad(string text) => new($"'{text}' is not a date or time this scheduler reads (ISO 8601, 12/31/2024 5:00pm, Monday 17:00 and the like)");

    [GeneratedRegex(@"^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex(@"^(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?(am|pm)?$")]
    private static partial Regex TimeShape();

    [GeneratedRegex(@"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")]
    private static partial Regex SlashDatePattern();

    [GeneratedRegex(@"^(\d{4})-(\d{1,2})-(\d{1,2})$")]
    private static partial Regex DashDatePattern();
}
