using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Shell-style wildcard matching (Python's <c>fnmatch</c>): <c>*</c>, <c>?</c> and <c>[...]</c>.</summary>
internal static class Glob
{
    public static bool IsPattern(string text) => text.IndexOfAny(['*', '?', '[']) >= 0;

    public static bool Matches(string pattern, string text, bool ignoreCase = false) =>
        ToRegex(pattern, ignoreCase).IsMatch(text);

    public static Regex ToRegex(string pattern, bool ignoreCase = false)
    {
        var regex = "^" + Regex.Escape(pattern)
            .Replace(@"\*", ".*", StringComparison.Ordinal)
            .Replace(@"\?", ".", StringComparison.Ordinal)
            .Replace(@"\[!", "[^", StringComparison.Ordinal)
            .Replace(@"\[", "[", StringComparison.Ordinal)
            .Replace(@"\]", "]", StringComparison.Ordinal) + "$";
        return new Regex(regex, RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
    }
}
