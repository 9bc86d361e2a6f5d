using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Orchestrator.Shared.Mine;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Mine;

/// <summary>
/// Answers <c>mine.get</c> as Salt's master does (<c>RemoteFuncs._mine_get</c>): the master's own matcher picks the minions
/// (accepted keys, with the grains and pillar the master has for each), the master's <c>mine_get</c> ACL filters the
/// functions by the asking minion's id, and each entry's <c>allow_tgt</c> decides whether the asker may read it.
/// </summary>
/// <param name="store">The mine data.</param>
/// <param name="options">The master's mine options.</param>
/// <param name="select">The accepted minions a <c>(tgt, tgt_type)</c> selects; throws <see cref="TargetException"/> for a bad target.</param>
/// <param name="logger">The log.</param>
public sealed class MineQuery(MineStore store, MineOptions options, Func<string, string, IReadOnlyList<string>> select, ILogger<MineQuery> logger)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The data of <paramref name="functions"/> for the minions the target selects that have them, as
    /// <c>{minion: data}</c>, or <c>{fun: {minion: data}}</c> when <paramref name="byFunction"/>.
    /// </summary>
    /// <exception cref="TargetException">The target is invalid.</exception>
    public Dictionary<string, object?> Get(string requester, string target, string targetType, IReadOnlyList<string> functions, bool byFunction)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var allowed = AllowedFunctions(requester, functions);
        if (allowed.Count == 0)
        {
            return result;
        }
        var minions = select(target, string.IsNullOrEmpty(targetType) ? "glob" : targetType);
        // One allow_tgt is evaluated once per request, however many minions carry it.
        var aclTargets = new Dictionary<(string, string), IReadOnlyList<string>>();
        foreach (var minion in minions)
        {
            var mine = store.Read(minion);
            foreach (var function in allowed)
            {
                if (!mine.TryGetValue(function, out var entry))
                {
                    continue;
                }
                var (data, allowTgt, allowTgtType) = MineAcl.Unwrap(entry);
                if (allowTgt is not null && !Permitted(requester, allowTgt, allowTgtType, aclTargets))
                {
                    MineLog.AclDenied(logger, requester, function, minion);
                    continue;
                }
                if (byFunction)
                {
                    if (result.GetValueOrDefault(function) is not Dictionary<string, object?> perMinion)
                    {
                        result[function] = perMinion = new Dictionary<string, object?>(StringComparer.Ordinal);
                    }
                    perMinion[minion] = data;
                }
                else
                {
                    result[minion] = data;
                }
            }
        }
        MineLog.Answered(logger, requester, string.Join(",", functions), targetType, target, minions.Count);
        return result;
    }

    private bool Permitted(string requester, string allowTgt, string allowTgtType, Dictionary<(string, string), IReadOnlyList<string>> cache)
    {
        if (!cache.TryGetValue((allowTgt, allowTgtType), out var minions))
        {
            try
            {
                minions = select(allowTgt, allowTgtType);
            }
            catch (TargetException)
            {
                // A target no minion can match grants nobody, as Salt's empty check_minions result does.
                minions = [];
            }
            cache[(allowTgt, allowTgtType)] = minions;
        }
        return minions.Contains(requester, StringComparer.Ordinal);
    }

    /// <summary>The functions the master's <c>mine_get</c> ACL lets the requester read (all when there is no ACL), by <c>re.match</c>.</summary>
    private List<string> AllowedFunctions(string requester, IReadOnlyList<string> functions)
    {
        if (options.GetAcl is not { } acl)
        {
            return [.. functions];
        }
        var permissions = acl.Where(rule => Matches(rule.Key, requester)).SelectMany(rule => rule.Value).ToList();
        return functions.Where(function => permissions.Any(permission => Matches(permission, function))).ToList();
    }

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, @"\A(?:" + pattern + ")", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
