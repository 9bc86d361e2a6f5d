using System.Text;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>locale_info</c> grain: <c>defaultlanguage</c>, <c>defaultencoding</c>, <c>detectedencoding</c>, <c>timezone</c>, as Salt computes them.</summary>
/// <remarks>
/// The language and encoding follow Python 3.10's <c>locale.getdefaultlocale()</c> under Salt's onedir: the first of LC_ALL,
/// LC_CTYPE, LANG, LANGUAGE, after Python's coercion of a C locale to C.UTF-8, with <c>C.UTF-8</c> read as en_US/UTF-8
/// (Python's alias). The time zone is the abbreviation in effect now (<c>tzname()</c>): from TZ, else <c>/etc/localtime</c>.
/// </remarks>
public sealed class LocaleGrains : IGrainProvider
{
    private readonly Func<string, string?> _environment;

    public LocaleGrains()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Reads the locale variables through <paramref name="environment"/> (tests).</summary>
    public LocaleGrains(Func<string, string?> environment)
    {
        _environment = environment;
    }

    public string Name => "locale";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var (language, encoding) = DefaultLocale();
        return Task.FromResult(new Dictionary<string, object?>
        {
            ["locale_info"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["defaultlanguage"] = language,
                ["defaultencoding"] = encoding,
                ["detectedencoding"] = encoding is null or "UTF-8" ? "utf-8" : encoding.ToLowerInvariant(),
                ["timezone"] = TimeZoneAbbreviation(context) ?? "unknown",
            },
        });
    }

    private (string? Language, string? Encoding) DefaultLocale()
    {
        string? Get(string name) => _environment(name) is { Length: > 0 } value ? value : null;
        var lcAll = Get("LC_ALL");
        string? name;
        if (lcAll is not null)
        {
            name = lcAll;
        }
        else
        {
            // PEP 538: Python sets LC_CTYPE=C.UTF-8 when the C locale would be in effect.
            var ctype = Get("LC_CTYPE") ?? Get("LANG") ?? "C";
            name = ctype is "C" or "POSIX" ? "C.UTF-8" : Get("LC_CTYPE") ?? Get("LANG") ?? Get("LANGUAGE")?.Split(':')[0];
        }
        return Parse(name ?? "C");
    }

    /// <summary>Python's <c>_parse_localename(normalize(name))</c> for the common forms.</summary>
    internal static (string? Language, string? Encoding) Parse(string name)
    {
        var at = name.IndexOf('@');
        var code = at < 0 ? name : name[..at];
        var dot = code.IndexOf('.');
        var language = dot < 0 ? code : code[..dot];
        var encoding = dot < 0 ? null : code[(dot + 1)..];
        if (language is "C" or "POSIX" or "c" or "posix")
        {
            return encoding is null ? (null, null) : ("en_US", NormalizeEncoding(encoding));
        }
        var underscore = language.IndexOf('_');
        language = underscore < 0
            ? language.ToLowerInvariant()
            : language[..underscore].ToLowerInvariant() + "_" + language[(underscore + 1)..].ToUpperInvariant();
        // Python's alias table gives a bare language its traditional 8-bit encoding.
        return (language, encoding is null ? "ISO8859-1" : NormalizeEncoding(encoding));
    }

    private static string NormalizeEncoding(string encoding) =>
        encoding.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            "utf8" => "UTF-8",
            "iso88591" => "ISO8859-1",
            "iso885915" => "ISO8859-15",
            var other => other.ToUpperInvariant(),
        };

    /// <summary>The zone's current abbreviation from TZ (a POSIX string or a zone file) or the POSIX footer of <c>/etc/localtime</c>.</summary>
    private string? TimeZoneAbbreviation(GrainContext context)
    {
        var tz = _environment("TZ");
        string? posix = null;
        if (!string.IsNullOrEmpty(tz) && !tz.StartsWith(':') && !tz.Contains('/'))
        {
            posix = tz;
        }
        else
        {
            var file = string.IsNullOrEmpty(tz) ? context.HostPath("/etc/localtime")
                : tz.TrimStart(':') is var zone && zone.StartsWith('/') ? context.HostPath(zone)
                : context.HostPath("/usr/share/zoneinfo/" + zone);
            posix = TzifFooter(file);
        }
        if (posix is null)
        {
            return null;
        }
        var (standard, daylight) = PosixNames(posix);
        return daylight is not null && TimeZoneInfo.Local.IsDaylightSavingTime(DateTime.Now) ? daylight : standard;
    }

    private static string? TzifFooter(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 5 || Encoding.ASCII.GetString(bytes, 0, 4) != "TZif" || bytes[^1] != '\n')
            {
                return null;
            }
            // Version 2+ files end with "\n<POSIX TZ string>\n".
            var start = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2);
            return start < 0 ? null : Encoding.ASCII.GetString(bytes, start + 1, bytes.Length - start - 2);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"CET-1CEST,M3.5.0,M10.5.0/3" -> ("CET", "CEST"); "&lt;+03&gt;-3" -> ("+03", null).</summary>
    internal static (string? Standard, string? Daylight) PosixNames(string posix)
    {
        var position = 0;
        string? ReadName()
        {
            if (position >= posix.Length)
            {
                return null;
            }
            if (posix[position] == '<')
            {
                var end = posix.IndexOf('>', position);
                if (end < 0)
                {
                    return null;
                }
                var quoted = posix[(position + 1)..end];
                position = end + 1;
                return quoted;
            }
            var begin = position;
            while (position < posix.Length && char.IsAsciiLetter(posix[position]))
            {
                position++;
            }
            return position > begin ? posix[begin..position] : null;
        }
        var standard = ReadName();
        while (position < posix.Length && (char.IsAsciiDigit(posix[position]) || posix[position] is '+' or '-' or ':'))
        {
            position++;
        }
        return (standard, ReadName());
    }
}
