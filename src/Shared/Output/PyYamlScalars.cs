using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Output;

/// <summary>PyYAML's scalar rules, shared by the <c>yaml</c> outputter (<see cref="PyYamlEmitter"/>) and the Jinja
/// <c>yaml</c> filters (<c>YamlWriter</c>, <c>YamlReader</c>): <c>analyze_scalar</c>, the YAML 1.1 implicit resolvers,
/// <c>choose_scalar_style</c>, the double-quoted escapes and the text of non-string scalars.</summary>
/// <remarks>The rules assume <c>allow_unicode=True</c> (as Salt dumps): printable non-ASCII text is not special.</remarks>
internal static partial class PyYamlScalars
{
    /// <summary>PyYAML's default <c>best_width</c>: lines are folded once the column passes it.</summary>
    public const int BestWidth = 80;

    /// <summary>How a string scalar is written.</summary>
    public enum Style
    {
        Plain,
        SingleQuoted,
        DoubleQuoted,
    }

    /// <summary>What <c>analyze_scalar</c> reports, reduced to what the emitters use.</summary>
    public readonly record struct Analysis(bool Empty, bool Multiline, bool AllowFlowPlain, bool AllowBlockPlain, bool AllowSingleQuoted);

    public static bool IsBreak(char c) => c is '\n' or '\x85' or '\u2028' or '\u2029';

    public static bool IsSpaceOrBreak(char c) => c is '\0' or ' ' or '\t' or '\r' or '\n' or '\x85' or '\u2028' or '\u2029';

    /// <summary>PyYAML's <c>choose_scalar_style</c> for an untagged string.</summary>
    /// <param name="value">The string.</param>
    /// <param name="simpleKey">Whether it is written as a simple mapping key.</param>
    /// <param name="flowContext">Whether it sits inside a flow collection (which forbids more plain text).</param>
    /// <param name="singleQuoteMultiline">PyYAML single-quotes multi-line values (folding their breaks); false routes them to
    /// double quotes, for a writer whose single-quoted form cannot write line breaks.</param>
    /// <param name="legacyDotFloat">Passed to <see cref="ResolvesToString"/>.</param>
    public static Style ChooseStyle(string value, bool simpleKey, bool flowContext, bool singleQuoteMultiline, bool legacyDotFloat = false)
    {
        var analysis = Analyze(value);
        if (ResolvesToString(value, legacyDotFloat)
            && !(simpleKey && (analysis.Empty || analysis.Multiline))
            && (flowContext ? analysis.AllowFlowPlain : analysis.AllowBlockPlain))
        {
            return Style.Plain;
        }
        if (analysis.AllowSingleQuoted && !(analysis.Multiline && (simpleKey || !singleQuoteMultiline)))
        {
            return Style.SingleQuoted;
        }
        return Style.DoubleQuoted;
    }

    /// <summary>PyYAML's <c>Emitter.analyze_scalar</c> (with <c>allow_unicode</c>).</summary>
    public static Analysis Analyze(string scalar)
    {
        if (scalar.Length == 0)
        {
            return new Analysis(Empty: true, Multiline: false, AllowFlowPlain: false, AllowBlockPlain: true, AllowSingleQuoted: true);
        }
        bool blockIndicators = false, flowIndicators = false;
        if (scalar.StartsWith("---", StringComparison.Ordinal) || scalar.StartsWith("...", StringComparison.Ordinal))
        {
            blockIndicators = flowIndicators = true;
        }
        bool lineBreaks = false, specialCharacters = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        var precededByWhitespace = true;
        var followedByWhitespace = scalar.Length == 1 || IsSpaceOrBreak(scalar[1]);
        for (var index = 0; index < scalar.Length; index++)
        {
            var ch = scalar[index];
            if (index == 0)
            {
                if ("#,[]{}&*!|>'\"%@`".Contains(ch))
                {
                    flowIndicators = blockIndicators = true;
                }
                if (ch is '?' or ':')
                {
                    flowIndicators = true;
                    if (followedByWhitespace)
                    {
                        blockIndicators = true;
                    }
                }
                if (ch == '-' && followedByWhitespace)
                {
                    flowIndicators = blockIndicators = true;
                }
            }
            else
            {
                if (",?[]{}".Contains(ch))
                {
                    flowIndicators = true;
                }
                if (ch == ':')
                {
                    flowIndicators = true;
                    if (followedByWhitespace)
                    {
                        blockIndicators = true;
                    }
                }
                if (ch == '#' && precededByWhitespace)
                {
                    flowIndicators = blockIndicators = true;
                }
            }
            if (IsBreak(ch))
            {
                lineBreaks = true;
            }
            if (!(ch == '\n' || (ch >= '\x20' && ch <= '\x7E')))
            {
                var printableUnicode = (ch == '\x85' || (ch >= '\xA0' && ch <= '\uD7FF') || (ch >= '\uE000' && ch <= '\uFFFD')
                    || char.IsSurrogate(ch)) && ch != '\uFEFF';
                if (!printableUnicode)
                {
                    specialCharacters = true;
                }
            }
            if (ch == ' ' || IsBreak(ch))
            {
                var space = ch == ' ';
                if (index == 0)
                {
                    leadingSpace |= space;
                    leadingBreak |= !space;
                }
                if (index == scalar.Length - 1)
                {
                    trailingSpace |= space;
                    trailingBreak |= !space;
                }
                if (space ? previousBreak : previousSpace)
                {
                    breakSpace |= space;
                    spaceBreak |= !space;
                }
                previousSpace = space;
                previousBreak = !space;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = IsSpaceOrBreak(ch);
            followedByWhitespace = index + 2 >= scalar.Length || IsSpaceOrBreak(scalar[index + 2]);
        }

        bool allowFlowPlain = true, allowBlockPlain = true, allowSingleQuoted = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak)
        {
            allowFlowPlain = allowBlockPlain = false;
        }
        // Spaces next to breaks, and special characters, are only allowed in double quotes.
        if (breakSpace || spaceBreak || specialCharacters)
        {
            allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
        }
        // PyYAML never emits multi-line plain scalars.
        if (lineBreaks)
        {
            allowFlowPlain = allowBlockPlain = false;
        }
        if (flowIndicators)
        {
            allowFlowPlain = false;
        }
        if (blockIndicators)
        {
            allowBlockPlain = false;
        }
        return new Analysis(Empty: false, Multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted);
    }

    /// <summary>PyYAML's implicit resolvers (YAML 1.1): whether a plain scalar with this text reads back as a string; when it
    /// would read as a bool, null, number, timestamp, merge or value key it must be quoted.</summary>
    /// <param name="value">The text.</param>
    /// <param name="legacyDotFloat">The Jinja filters' float resolver: it also reads text such as <c>._1</c> as a float
    /// (<c>\.[0-9_]+</c>), where PyYAML 6 requires a digit after the dot (<c>\.[0-9][0-9_]*</c>). Kept as it was.</param>
    public static bool ResolvesToString(string value, bool legacyDotFloat = false)
    {
        if (value.Length == 0)
        {
            return false;
        }
        return value[0] switch
        {
            'y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O' or '~'
                => !BoolRegex().IsMatch(value) && !NullRegex().IsMatch(value),
            '-' or '+' or '.' => !IntRegex().IsMatch(value) && !IsFloat(value, legacyDotFloat),
            >= '0' and <= '9' => !IntRegex().IsMatch(value) && !IsFloat(value, legacyDotFloat) && !TimestampRegex().IsMatch(value),
            '<' => value != "<<",
            '=' => value != "=",
            _ => true,
        };
    }

    private static bool IsFloat(string value, bool legacyDotFloat) =>
        (legacyDotFloat ? LegacyFloatRegex() : FloatRegex()).IsMatch(value);

    /// <summary>The plain text of a non-string scalar as PyYAML's SafeRepresenter writes it, or null for other values.</summary>
    public static string? ScalarText(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FloatText(d),
        _ => null,
    };

    /// <summary>SafeRepresenter's <c>represent_float</c>: <c>.nan</c>, <c>.inf</c>, Python's repr lower-cased, and a
    /// <c>.0</c> put into exponent-only forms (<c>1.0e+16</c>) so they read back as floats.</summary>
    public static string FloatText(double d)
    {
        if (double.IsNaN(d))
        {
            return ".nan";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? ".inf" : "-.inf";
        }
        var text = PyFormat.FloatRepr(d).ToLowerInvariant();
        if (!text.Contains('.') && text.Contains('e'))
        {
            var e = text.IndexOf('e');
            text = text[..e] + ".0" + text[e..];
        }
        return text;
    }

    /// <summary>The double-quoted escape of one UTF-16 unit: PyYAML's <c>ESCAPE_REPLACEMENTS</c>, else <c>\xXX</c> or
    /// <c>\uXXXX</c>. (Surrogate pairs are the writer's business.)</summary>
    public static string Escape(char c) => EscapeReplacement(c) is { } replacement
        ? "\\" + replacement
        : c <= '\xFF'
            ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture)
            : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>PyYAML's <c>ESCAPE_REPLACEMENTS</c>: the letter after the backslash, or null.</summary>
    public static string? EscapeReplacement(char c) => c switch
    {
        '\0' => "0",
        '\a' => "a",
        '\b' => "b",
        '\t' => "t",
        '\n' => "n",
        '\v' => "v",
        '\f' => "f",
        '\r' => "r",
        '\e' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\x85' => "N",
        '\xA0' => "_",
        '\u2028' => "L",
        '\u2029' => "P",
        _ => null,
    };

    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex BoolRegex();

    [GeneratedRegex("^(?:~|null|Null|NULL)$")]
    private static partial Regex NullRegex();

    [GeneratedRegex("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex IntRegex();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatRegex();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex LegacyFloatRegex();

    [GeneratedRegex(@"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$")]
    private static partial Regex TimestampRegex();
}
