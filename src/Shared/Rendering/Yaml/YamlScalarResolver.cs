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

    // PyYAML's float resolver: a sign needs a digit before the point, so "-." and ".e+5" stay strings.
    [GeneratedRegex(@"^([-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9_]+([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();

    /// <summary>Resolves an untagged plain scalar to null, bool, long, double or string.</summary>
    /// <exception cref="FormatException">The scalar has the form of a number without digits (<c>0x_</c>, <c>._</c>), as PyYAML refuses it.</exception>
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
        if (FloatPattern().IsMatch(value))
        {
            return ParseFloat(value);
        }
        return value;
    }

    /// <summary>Parses a YAML 1.1 integer (Salt variant: leading zeros are decimal); beyond 64 bits it is a double.</summary>
    /// <exception cref="FormatException">The text is not a YAML integer.</exception>
    public static object ParseInt(string text)
    {
        if (!IntPattern().IsMatch(text))
        {
            throw new FormatException($"'{text}' is not an integer");
        }
        var value = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = value.StartsWith('-');
        value = value.TrimStart('-', '+');
        var magnitude = value switch
        {
            _ when value.StartsWith("0b", StringComparison.Ordinal) => Magnitude.Of(value[2..], 2),
            _ when value.StartsWith("0x", StringComparison.Ordinal) => Magnitude.Of(value[2..], 16),
            _ => value.Split(':').Aggregate(Magnitude.Zero, (total, part) => total.Times(60).Plus(Magnitude.Of(part, 10))),
        };
        // PyYAML's ints are unbounded; the data model's are 64-bit, so larger ones become the nearest double.
        if (magnitude.Exact is { } exact && exact <= (negative ? 1UL << 63 : long.MaxValue))
        {
            return negative ? (long)(0UL - exact) : (long)exact;
        }
        return negative ? -magnitude.Approximate : magnitude.Approximate;
    }

    /// <summary>Parses a YAML 1.1 float.</summary>
    /// <exception cref="FormatException">The text has no digits (<c>._</c>) or is not a float at all.</exception>
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

    // An unsigned integer read digit by digit: exact while it fits 64 bits, and always as a double (linear time however
    // long the text, unlike arbitrary precision).
    private readonly record struct Magnitude(ulong? Exact, double Approximate)
    {
        public static readonly Magnitude Zero = new(0UL, 0);

        public static Magnitude Of(string digits, int radix)
        {
            if (digits.Length == 0)
            {
                throw new FormatException("an integer needs at least one digit");
            }
            var result = Zero;
            foreach (var c in digits)
            {
                result = result.Times(radix).Plus(new Magnitude((ulong)HexDigit(c), HexDigit(c)));
            }
            // Summing digits rounds at every step; for decimal text the parser gives the nearest double.
            return radix == 10 && result.Exact is null ? result with { Approximate = double.Parse(digits, CultureInfo.InvariantCulture) } : result;
        }

        public Magnitude Times(int factor) => new(Exact is { } e && e <= ulong.MaxValue / (ulong)factor ? e * (ulong)factor : null, Approximate * factor);

        public Magnitude Plus(Magnitude other) =>
            new(Exact is { } a && other.Exact is { } b && a <= ulong.MaxValue - b ? a + b : null, Approximate + other.Approximate);

        private static int HexDigit(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
