using System.Text.RegularExpressions;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// Checks a request against a permission list in Salt's <c>external_auth</c>/<c>publisher_acl</c> format
/// (<c>salt/utils/minions.py</c>: <c>auth_check</c>, <c>spec_check</c>, <c>fun_check</c>, <c>args_check</c>).
/// </summary>
/// <remarks>
/// Function patterns match as Salt's <c>expr_match</c> (the same text, a glob, or a whole-string regex), argument
/// patterns as whole-string regexes: stricter than Salt's prefix <c>re.match</c>, so <c>test.ping</c> never also allows
/// <c>test.ping_x</c>. A publish is allowed only when every minion its target resolves to is inside an ACL target that
/// allows the function; a target that resolves to no minion is allowed only by an untargeted entry.
/// </remarks>
public sealed class AclChecker(Func<string, string, IReadOnlyList<string>> expectedMinions)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Functions every authenticated user may publish, as Salt's publish whitelist.</summary>
    private static readonly HashSet<string> Whitelist = new(StringComparer.Ordinal) { "saltutil.find_job" };

    /// <summary>Whether <paramref name="perms"/> allow <paramref name="request"/>; a refusal says which target and function.</summary>
    public AclDecision Check(IReadOnlyList<object?> perms, AclRequest request) => Check(perms, request, "");

    /// <summary>As <see cref="Check(IReadOnlyList{object?}, AclRequest)"/>, with the user named in the reason of a refusal.</summary>
    public AclDecision Check(IReadOnlyList<object?> perms, AclRequest request, string user)
    {
        var who = user.Length > 0 ? $"user {user}" : "the user";
        if (string.IsNullOrWhiteSpace(request.Function))
        {
            return new AclDecision(false, "no function given");
        }
        return request.Client switch
        {
            AclClient.Local => CheckLocal(perms, request, who),
            AclClient.Wheel when EachKeyGlob(request) is { Count: > 0 } each =>
                each.Select(one => CheckSpecial(perms, one, "wheel", who)).FirstOrDefault(d => !d.Allowed) ?? CheckSpecial(perms, each[0], "wheel", who),
            AclClient.Wheel => CheckSpecial(perms, request, "wheel", who),
            // salt-api's /jobs runs the jobs runner: @jobs is the module name of Salt's runner check.
            _ => CheckSpecial(perms, request, "runner", who),
        };
    }

    /// <summary>
    /// A key function naming several keys (<c>match: 'web1,*'</c> or a list) as one request per glob: the wheel applies
    /// each, so an argument condition such as <c>match: 'web.*'</c> must hold for each, not for the text they make together.
    /// </summary>
    private static List<AclRequest>? EachKeyGlob(AclRequest request)
    {
        if (!request.Function.StartsWith("key.", StringComparison.Ordinal))
        {
            return null;
        }
        var inKwargs = request.Kwargs.TryGetValue("match", out var match);
        match ??= inKwargs ? null : request.Args.FirstOrDefault();
        if (match is null)
        {
            return null;
        }
        return [.. Reactor.ReactorWheel.Globs(match).Select(glob => inKwargs
            ? request with { Kwargs = new Dictionary<string, object?>(request.Kwargs, StringComparer.Ordinal) { ["match"] = glob } }
            : request with { Args = [glob, .. request.Args.Skip(1)] })];
    }

    private AclDecision CheckLocal(IReadOnlyList<object?> perms, AclRequest request, string who)
    {
        var fun = request.Function;
        var denied = new AclDecision(false,
            $"{who} is not permitted to run '{fun}' on {request.TargetType} target '{request.Target}'");
        if (Whitelist.Contains(fun))
        {
            return new AclDecision(true, $"'{fun}' is allowed for everyone");
        }
        IReadOnlyList<string>? targeted = null;
        foreach (var entry in perms)
        {
            switch (entry)
            {
                case string pattern when !pattern.StartsWith('@'):
                    if (FunctionMatches(pattern, fun))
                    {
                        return new AclDecision(true, $"'{fun}' is allowed on every minion by '{pattern}'");
                    }
                    break;
                case Dictionary<string, object?> { Count: 1 } map:
                    var (aclTarget, functions) = map.Single();
                    if (aclTarget.StartsWith('@'))
                    {
                        break;
                    }
                    try
                    {
                        targeted ??= expectedMinions(request.Target, request.TargetType);
                    }
                    catch (Exception e) when (e is TargetException or ArgumentException)
                    {
                        return new AclDecision(false, $"{who} is not permitted to run '{fun}': invalid target '{request.Target}': {e.Message}");
                    }
                    if (targeted.Count > 0 && Within(targeted, aclTarget) && FunctionAllowed(functions, fun, request.Args, request.Kwargs))
                    {
                        return new AclDecision(true, $"'{fun}' is allowed on '{request.Target}' by the ACL target '{aclTarget}'") { Minions = targeted };
                    }
                    break;
            }
        }
        if (targeted is { Count: 0 })
        {
            return denied with { Reason = denied.Reason + " (the target matches no minion)" };
        }
        return denied;
    }

    /// <summary>Whether every targeted minion is one the ACL target (a compound expression) resolves to.</summary>
    private bool Within(IReadOnlyList<string> targeted, string aclTarget)
    {
        HashSet<string> allowed;
        try
        {
            allowed = new HashSet<string>(expectedMinions(aclTarget, "compound"), StringComparer.Ordinal);
        }
        catch (Exception e) when (e is TargetException or ArgumentException)
        {
            // A broken ACL target allows nothing.
            return false;
        }
        return targeted.All(allowed.Contains);
    }

    private static AclDecision CheckSpecial(IReadOnlyList<object?> perms, AclRequest request, string form, string who)
    {
        var fun = request.Function;
        var parts = fun.Split('.');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0))
        {
            return new AclDecision(false, $"'{fun}' is not a {form} function name (module.function)");
        }
        var (module, name) = (parts[0], parts[1]);
        bool Names(string key) => key[1..] == module || key[1..] == form || key == $"@{form}s";
        foreach (var entry in perms)
        {
            switch (entry)
            {
                case string pattern when pattern.StartsWith('@') && Names(pattern):
                    return new AclDecision(true, $"{form} '{fun}' is allowed by '{pattern}'");
                case Dictionary<string, object?> { Count: 1 } map when map.Keys.Single().StartsWith('@'):
                    var (key, functions) = map.Single();
                    // {'@jobs': ['lookup_jid']} names functions of the module; {'@runner': ['jobs.*']} whole names.
                    if ((key[1..] == module && FunctionAllowed(functions, name, request.Args, request.Kwargs))
                        || ((key[1..] == form || key == $"@{form}s") && FunctionAllowed(functions, fun, request.Args, request.Kwargs)))
                    {
                        return new AclDecision(true, $"{form} '{fun}' is allowed by '{key}'");
                    }
                    break;
            }
        }
        return new AclDecision(false, $"{who} is not permitted to run {form} function '{fun}'");
    }

    /// <summary>Salt's <c>fun_check</c>: a function pattern, or a one-key mapping of a pattern to argument conditions.</summary>
    private static bool FunctionAllowed(object? conditions, string fun, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var list = conditions as List<object?> ?? [conditions];
        foreach (var condition in list)
        {
            switch (condition)
            {
                case string pattern when FunctionMatches(pattern, fun):
                    return true;
                case Dictionary<string, object?> { Count: 1 } map:
                    var (funPattern, argConditions) = map.Single();
                    if (FunctionMatches(funPattern, fun) && ArgumentsAllowed(argConditions, args, kwargs))
                    {
                        return true;
                    }
                    break;
            }
        }
        return false;
    }

    /// <summary>
    /// Salt's <c>args_check</c>: <c>{args: [regex or null, ...], kwargs: {name: regex or null}}</c> or a list of such; each
    /// listed positional argument and keyword must be present and match (null: any value).
    /// </summary>
    private static bool ArgumentsAllowed(object? conditions, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var list = conditions as List<object?> ?? [conditions];
        foreach (var condition in list.OfType<Dictionary<string, object?>>())
        {
            var good = true;
            var wantedArgs = condition.GetValueOrDefault("args") as List<object?> ?? [];
            for (var i = 0; good && i < wantedArgs.Count; i++)
            {
                good = i < args.Count && (wantedArgs[i] is null || ValueMatches(wantedArgs[i]!, args[i]));
            }
            var wantedKwargs = condition.GetValueOrDefault("kwargs") as Dictionary<string, object?> ?? new(StringComparer.Ordinal);
            foreach (var (key, pattern) in wantedKwargs)
            {
                if (!good)
                {
                    break;
                }
                good = kwargs.TryGetValue(key, out var value) && (pattern is null || ValueMatches(pattern, value));
            }
            if (good)
            {
                return true;
            }
        }
        return false;
    }

    private static bool FunctionMatches(string pattern, string fun) => new ExprMatch(pattern).IsMatch(fun);

    /// <summary>An argument condition: a whole-string regex over Python's <c>str()</c> of the value; an invalid regex matches nothing.</summary>
    private static bool ValueMatches(object pattern, object? value)
    {
        try
        {
            return Regex.IsMatch(PyText.Str(value), @"\A(?:" + DataTree.KeyToString(pattern) + @")\z", RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
