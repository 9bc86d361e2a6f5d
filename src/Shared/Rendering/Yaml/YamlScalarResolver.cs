using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Rendering.Yaml;

/// <summary>
/// Resolves plain YAML scalars the way PyYAML's YAML 1.1 SafeLoader does, with Salt's loader tweaks.
/// </summary>
/// <remarks>
/// Salt's loader reads integers with leading zeros as decimal (<c>0755</c> is 755, so <c>mode: 0755</c> means what it says)
/// and keeps timestamps as strings. Booleans are the YAML 1.1 set (<c>yes/no/on/off/true/false</c> in three casings).
/// </remarks>
public static partial class YamlScalarResolver
{
    private static readonly HashSet<string> _true = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly HashSet<string> _false = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
    private static readonly HashSet<string> _null = ["", "~", "null", "Null", "NULL"];

    [GeneratedRegex(@"^[-+]?(0b[0-1_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*|[1-9][0-9_]*(:[0-5]?[0-9])+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();

    /// <summary>Resolves an untagged plain scalar to null, bool, long, double or string.</summary>
    public static object? ResolvePlain(string value)
    {
        if (_null.Contains(value))
        {
            return null;
        }
        if (_true.Contains(value))
        {
            return true;
        }
        if (_false.Contains(value))
        {
            return false;
        }
        if (IntPattern().IsMatch(value))
        {
            return ParseInt(value);
        }
        if (value != "." && FloatPattern().IsMatch(value))
        {
            return ParseFloat(value);
        }
        return value;
    }

    /// <summary>Parses a YAML 1.1 integer (Salt variant: leading zeros are decimal).</summary>
    public static object ParseInt(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var sign = 1L;
        if (value.StartsWith('-'))
        {
            sign = -1;
            value = value[1..];
        }
        else if (value.StartsWith('+'))
        {
            value = value[1..];
        }
        if (value.StartsWith("0b", StringComparison.Ordinal))
        {
            return sign * Convert.ToInt64(value[2..], 2);
        }
        if (value.StartsWith("0x", StringComparison.Ordinal))
        {
            return sign * long.Parse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        if (value.Contains(':', StringComparison.Ordinal))
        {
            long total = 0;
            foreach (var part in value.Split(':'))
            {
                total = (total * 60) + long.Parse(part, CultureInfo.InvariantCulture);
            }
            return sign * total;
        }
        var trimmed = value.TrimStart('0');
        if (trimmed.Length == 0)
        {
            return 0L;
        }
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return sign * parsed;
        }
        return sign * double.Parse(trimmed, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a YAML 1.1 float.</summary>
    public static double ParseFloat(string text)
    {
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var lower = value.ToLowerInvariant();
        if (lower.EndsWith(".inf", StringComparison.Ordinal))
        {
            return lower.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        }
        if (lower == ".nan")
        {
            return double.NaN;
        }
        if (value.Contains(':', StringComparison.Ordinal))
        {
            var sign = value.StartsWith('-') ? -1 : 1;
            double total = 0;
            foreach (var part in value.TrimStart('-', '+').Split(':'))
            {
                total = (total * 60) + double.Parse(part, CultureInfo.InvariantCulture);
            }
            return sign * total;
        }
        return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
