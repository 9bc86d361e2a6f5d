using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.States;

/// <summary>
/// Reads a top file (<c>env → target → [sls..., {match: type}]</c>) and returns the SLS this minion must apply per environment.
/// </summary>
public static class TopFile
{
    /// <summary>Salt's <c>top_matches</c>: matches each target with <paramref name="matcher"/> (expression, match type).</summary>
    public static Dictionary<string, List<string>> Matches(
        object? top,
        Func<string, string, bool> matcher,
        string? onlySaltenv = null)
    {
        var matches = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (top is not Dictionary<string, object?> envs)
        {
            return matches;
        }
        foreach (var (saltenv, body) in envs)
        {
            if (saltenv == "include" || (onlySaltenv is not null && saltenv != onlySaltenv) || body is not Dictionary<string, object?> targets)
            {
                continue;
            }
            foreach (var (target, data) in targets)
            {
                var items = data as List<object?> ?? [data];
                var matchType = "glob";
                foreach (var item in items)
                {
                    if (item is Dictionary<string, object?> option && option.TryGetValue("match", out var m) && m is not null)
                    {
                        matchType = PyText.Str(m);
                    }
                }
                if (!matcher(target, matchType))
                {
                    continue;
                }
                if (!matches.TryGetValue(saltenv, out var list))
                {
                    list = [];
                    matches[saltenv] = list;
                }
                foreach (var item in items)
                {
                    if (item is string sls && !list.Contains(sls))
                    {
                        list.Add(sls);
                    }
                    else if (item is Dictionary<string, object?> other && !other.ContainsKey("match") && other.Count == 1)
                    {
                        var (envKey, inc) = other.First();
                        if (!matches.TryGetValue(envKey, out var envList))
                        {
                            envList = [];
                            matches[envKey] = envList;
                        }
                        envList.Add(PyText.Str(inc));
                    }
                }
            }
        }
        return matches;
    }

    /// <summary>Default matcher when none is wired: glob on the minion id, <c>list</c> for comma lists; others never match.</summary>
    public static Func<string, string, bool> IdMatcher(string minionId) => (expression, type) => type switch
    {
        "glob" => FnMatch.IsMatch(minionId, expression),
        "list" => expression.Split(',', StringSplitOptions.TrimEntries).Contains(minionId),
        "pcre" => System.Text.RegularExpressions.Regex.IsMatch(minionId, "^(?:" + expression + ")"),
        _ => false,
    };

    /// <summary>True when any state in the run failed.</summary>
    public static bool AnyFailed(Dictionary<string, object?> ret) =>
        ret.Values.OfType<Dictionary<string, object?>>().Any(r => r.GetValueOrDefault("result") is false || !DataTree.IsTruthy(r));
}
