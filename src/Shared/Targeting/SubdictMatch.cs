using System.Collections.Concurrent;
using System.Globalization;
using Orchestrator.Shared.Output;

namespace Orchestrator.Shared.Targeting;

/// <summary>Salt's <c>salt.utils.data.subdict_match</c>: matches <c>key:sub:value</c> expressions against a nested mapping.</summary>
/// <remarks>
/// Every way of splitting the expression at a delimiter is tried, longest key first, so values may contain the
/// delimiter (<c>ipv6:::1</c>). Values are compared case-insensitively by their Python <c>str()</c> form with fnmatch
/// (or <c>re.match</c> for the pcre variants); a list matches when any element does; a mapping matches when the
/// remaining pattern is one of its keys (<c>*</c> meaning "any key"). A pattern beginning with <c>*:</c> searches every
/// value of the mapping. Compiled value patterns are cached, so an instance is cheap to reuse and thread-safe.
/// </remarks>
internal sealed class SubdictMatch
{
    private static readonly object _missing = new();

    private readonly string _expression;
    private readonly string _delimiter;
    private readonly bool _regex;
    private readonly ConcurrentDictionary<string, Split[]> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<string, bool>> _valueMatchers = new(StringComparer.Ordinal);

    public SubdictMatch(string expression, char delimiter, bool regex, string what)
    {
        _expression = expression;
        _delimiter = delimiter.ToString();
        _regex = regex;
        var plan = GetPlan(expression);
        if (plan.Length == 0)
        {
            throw new TargetException(
                $"{what} target '{expression}' has no '{delimiter}' delimiter; expected key{delimiter}value.");
        }
        if (regex && plan.All(split => PythonRegex.TryCompileMatch(split.Pattern.ToLowerInvariant()) is null))
        {
            // Salt logs and matches nothing; every reading of the expression is a broken regex, so say so up front.
            var value = expression[(expression.IndexOf(delimiter) + 1)..];
            PythonRegex.CompileMatch(value.ToLowerInvariant(), $"{what} target '{expression}'");
        }
    }

    public bool Matches(IReadOnlyDictionary<string, object?>? data) => data is not null && SubdictMatches(data, _expression);

    private readonly record struct Split(string[] Key, string Pattern, bool WholeData);

    private Split[] GetPlan(string expression) => _plans.GetOrAdd(expression, static (expr, self) =>
    {
        var parts = expr.Split(self._delimiter);
        if (parts.Length == 1)
        {
            return [];
        }
        var plan = new Split[parts.Length - 1];
        for (var idx = parts.Length - 1; idx > 0; idx--)
        {
            var key = parts[..idx];
            var wholeData = idx == 1 && parts[0] == "*";
            var pattern = wholeData ? expr : string.Join(self._delimiter, parts[idx..]);
            plan[parts.Length - 1 - idx] = new Split(key, pattern, wholeData);
        }
        return plan;
    }, this);

    private bool SubdictMatches(IReadOnlyDictionary<string, object?> data, string expression)
    {
        foreach (var split in GetPlan(expression))
        {
            var match = split.WholeData ? data : Traverse(data, split.Key);
            if (ReferenceEquals(match, _missing) || match is IReadOnlyDictionary<string, object?> { Count: 0 })
            {
                continue;
            }
            switch (match)
            {
                case IReadOnlyDictionary<string, object?> dict:
                    if (DictMatches(dict, split.Pattern))
                    {
                        return true;
                    }
                    break;
                case IReadOnlyList<object?> list:
                    foreach (var member in list)
                    {
                        if (member is IReadOnlyDictionary<string, object?> memberDict && DictMatches(memberDict, split.Pattern))
                        {
                            return true;
                        }
                        if (ValueMatches(member, split.Pattern))
                        {
                            return true;
                        }
                    }
                    break;
                default:
                    if (ValueMatches(match, split.Pattern))
                    {
                        return true;
                    }
                    break;
            }
        }
        return false;
    }

    private bool DictMatches(IReadOnlyDictionary<string, object?> target, string pattern)
    {
        var wildcard = pattern.StartsWith("*:", StringComparison.Ordinal);
        if (wildcard)
        {
            pattern = pattern[2..];
        }
        if (pattern == "*" || target.ContainsKey(pattern) || SubdictMatches(target, pattern))
        {
            return true;
        }
        if (!wildcard)
        {
            return false;
        }
        foreach (var value in target.Values)
        {
            switch (value)
            {
                case IReadOnlyDictionary<string, object?> dict:
                    if (DictMatches(dict, pattern))
                    {
                        return true;
                    }
                    break;
                case IReadOnlyList<object?> list:
                    if (list.Any(item => ValueMatches(item, pattern)))
                    {
                        return true;
                    }
                    break;
                default:
                    if (ValueMatches(value, pattern))
                    {
                        return true;
                    }
                    break;
            }
        }
        return false;
    }

    private bool ValueMatches(object? value, string pattern)
    {
        var matcher = _valueMatchers.GetOrAdd(pattern, static (p, regex) => CreateValueMatcher(p, regex), _regex);
        return matcher(PyFormat.Str(value).ToLowerInvariant());
    }

    private static Func<string, bool> CreateValueMatcher(string pattern, bool regex)
    {
        var lowered = pattern.ToLowerInvariant();
        if (!regex)
        {
            return FnMatch.Compile(lowered).IsMatch;
        }
        var compiled = PythonRegex.TryCompileMatch(lowered);
        return compiled is null ? static _ => false : compiled.IsMatch;
    }

    // salt.utils.data.traverse_dict_and_list: list segments index numerically or look into embedded mappings.
    private static object? Traverse(IReadOnlyDictionary<string, object?> data, string[] key)
    {
        object? ptr = data;
        foreach (var each in key)
        {
            switch (ptr)
            {
                case IReadOnlyList<object?> list:
                    if (int.TryParse(each, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                    {
                        if (index < 0)
                        {
                            index += list.Count;
                        }
                        if (index < 0 || index >= list.Count)
                        {
                            return _missing;
                        }
                        ptr = list[index];
                        break;
                    }
                    var found = false;
                    foreach (var embedded in list)
                    {
                        if (embedded is IReadOnlyDictionary<string, object?> dict && dict.TryGetValue(each, out var inner))
                        {
                            ptr = inner;
                            found = true;
                            break;
                        }
                    }
                    if (!found)
                    {
                        return _missing;
                    }
                    break;
                case IReadOnlyDictionary<string, object?> map:
                    if (!map.TryGetValue(each, out var next))
                    {
                        return _missing;
                    }
                    ptr = next;
                    break;
                default:
                    return _missing;
            }
        }
        return ptr;
    }
}
