using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Minion.StateEngine;

/// <summary>Python's <c>fnmatch.fnmatch</c> (POSIX, case-sensitive): how Salt matches requisite targets and sls globs.</summary>
public static class Fnmatch
{
    private static readonly ConcurrentDictionary<string, Regex> _cache = new(StringComparer.Ordinal);

    public static bool IsMatch(string? name, string pattern)
    {
        if (name is null)
        {
            return false;
        }
        if (pattern.IndexOfAny(['*', '?', '[']) < 0)
        {
            return name == pattern;
        }
        return _cache.GetOrAdd(pattern, Translate).IsMatch(name);
    }

    private static Regex Translate(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append("[\\s\\S]*"); break;
                case '?': sb.Append("[\\s\\S]"); break;
                case '[':
                    var j = i + 1;
                    if (j < pattern.Length && pattern[j] == '!')
                    {
                        j++;
                    }
                    if (j < pattern.Length && pattern[j] == ']')
                    {
                        j++;
                    }
                    while (j < pattern.Length && pattern[j] != ']')
                    {
                        j++;
                    }
                    if (j >= pattern.Length)
                    {
                        sb.Append("\\[");
                    }
                    else
                    {
                        var set = pattern[(i + 1)..j].Replace("\\", "\\\\", StringComparison.Ordinal);
                        if (set.StartsWith('!'))
                        {
                            set = "^" + set[1..];
                        }
                        else if (set.StartsWith('^'))
                        {
                            set = "\\" + set;
                        }
                        sb.Append('[').Append(set).Append(']');
                        i = j;
                    }
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }
}
