using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Targeting;

/// <summary>A compiled shell-style glob with Python <c>fnmatch.fnmatchcase</c> semantics (whole-string, case-sensitive).</summary>
public sealed class FnMatch
{
    private enum Kind
    {
        Any,
        Literal,
        Prefix,
        Suffix,
        Regex,
    }

    private readonly Kind _kind;
    private readonly string _text;
    private readonly Regex? _regex;

    private FnMatch(Kind kind, string text, Regex? regex)
    {
        _kind = kind;
        _text = text;
        _regex = regex;
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; private init; } = string.Empty;

    /// <summary>Compiles a shell glob (<c>*</c>, <c>?</c>, <c>[...]</c>), matched case-sensitively against the whole value, as Python's <c>fnmatchcase</c>.</summary>
    public static FnMatch Compile(string pattern)
    {
        var special = pattern.AsSpan().IndexOfAny('*', '?', '[');
        if (special < 0)
        {
            return new FnMatch(Kind.Literal, pattern, null) { Pattern = pattern };
        }
        if (pattern.AsSpan().IndexOfAnyExcept('*') < 0)
        {
            return new FnMatch(Kind.Any, string.Empty, null) { Pattern = pattern };
        }
        var body = pattern.AsSpan(0, pattern.Length - 1);
        if (pattern[^1] == '*' && body.IndexOfAny('*', '?', '[') < 0)
        {
            return new FnMatch(Kind.Prefix, body.ToString(), null) { Pattern = pattern };
        }
        var tail = pattern.AsSpan(1);
        if (pattern[0] == '*' && tail.IndexOfAny('*', '?', '[') < 0)
        {
            return new FnMatch(Kind.Suffix, tail.ToString(), null) { Pattern = pattern };
        }
        var regex = new Regex(Translate(pattern), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return new FnMatch(Kind.Regex, string.Empty, regex) { Pattern = pattern };
    }

    /// <summary>Whether <paramref name="value"/> matches the glob <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string value, string pattern) => Compile(pattern).IsMatch(value);

    /// <summary>Whether <paramref name="value"/> matches this glob.</summary>
    public bool IsMatch(string value) => _kind switch
    {
        Kind.Any => true,
        Kind.Literal => string.Equals(value, _text, StringComparison.Ordinal),
        Kind.Prefix => value.StartsWith(_text, StringComparison.Ordinal),
        Kind.Suffix => value.EndsWith(_text, StringComparison.Ordinal),
        _ => _regex!.IsMatch(value),
    };

    // Mirrors fnmatch.translate: '*' any run, '?' one char, '[...]' / '[!...]' classes, an unclosed '[' is literal,
    // empty ranges such as 'z-a' are dropped.
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder(@"\A(?:");
        var i = 0;
        var n = pattern.Length;
        while (i < n)
        {
            var c = pattern[i++];
            switch (c)
            {
                case '*':
                    while (i < n && pattern[i] == '*')
                    {
                        i++;
                    }
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var j = i;
                    if (j < n && pattern[j] == '!')
                    {
                        j++;
                    }
                    if (j < n && pattern[j] == ']')
                    {
                        j++;
                    }
                    while (j < n && pattern[j] != ']')
                    {
                        j++;
                    }
                    if (j >= n)
                    {
                        sb.Append(@"\[");
                    }
                    else
                    {
                        AppendClass(sb, pattern.AsSpan(i, j - i));
                        i = j + 1;
                    }
                    break;
                default:
                    AppendLiteral(sb, c);
                    break;
            }
        }
        sb.Append(@")\z");
        return sb.ToString();
    }

    private static void AppendClass(StringBuilder sb, ReadOnlySpan<char> stuff)
    {
        var negate = stuff.Length > 0 && stuff[0] == '!';
        if (negate)
        {
            stuff = stuff[1..];
        }
        var items = new StringBuilder();
        var k = 0;
        while (k < stuff.Length)
        {
            if (k + 2 < stuff.Length && stuff[k + 1] == '-')
            {
                var lo = stuff[k];
                var hi = stuff[k + 2];
                if (lo <= hi)
                {
                    AppendClassChar(items, lo);
                    items.Append('-');
                    AppendClassChar(items, hi);
                }
                k += 3;
            }
            else
            {
                AppendClassChar(items, stuff[k]);
                k++;
            }
        }
        if (items.Length == 0)
        {
            sb.Append(negate ? "." : "(?!)");
            return;
        }
        sb.Append('[');
        if (negate)
        {
            sb.Append('^');
        }
        sb.Append(items).Append(']');
    }

    private static void AppendClassChar(StringBuilder sb, char c) => sb.Append(@"\u").Append(((int)c).ToString("X4"));

    private static void AppendLiteral(StringBuilder sb, char c)
    {
        if (char.IsAsciiLetterOrDigit(c) || c == '_' || c > 127)
        {
            sb.Append(c);
        }
        else
        {
            AppendClassChar(sb, c);
        }
    }
}
