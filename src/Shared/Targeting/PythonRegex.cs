using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Targeting;

/// <summary>Compiles Python <c>re</c> patterns into .NET regexes with <c>re.match</c> semantics (anchored at the start only).</summary>
internal static class PythonRegex
{
    public static Regex CompileMatch(string pattern, string what)
    {
        try
        {
            return new Regex(@"\A(?:" + Translate(pattern) + ")", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw new TargetException($"Invalid regular expression in {what} '{pattern}': {ex.Message}", ex);
        }
    }

    public static Regex? TryCompileMatch(string pattern)
    {
        try
        {
            return new Regex(@"\A(?:" + Translate(pattern) + ")", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // The dialects agree on nearly everything a target uses; only Python's named-group spellings and '\Z'
    // (end of string, which is '\z' in .NET) need rewriting.
    internal static string Translate(string pattern)
    {
        if (!pattern.Contains("(?P", StringComparison.Ordinal) && !pattern.Contains(@"\Z", StringComparison.Ordinal))
        {
            return pattern;
        }
        var sb = new StringBuilder(pattern.Length);
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(pattern[i + 1] == 'Z' ? @"\z" : pattern.AsSpan(i, 2));
                i += 2;
                continue;
            }
            if (string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                sb.Append("(?<");
                i += 4;
                continue;
            }
            if (string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0)
            {
                var close = pattern.IndexOf(')', i + 4);
                if (close > 0)
                {
                    sb.Append(@"\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                    i = close + 1;
                    continue;
                }
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }
}
