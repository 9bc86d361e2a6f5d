using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>Salt's <c>fill_auth_list</c>: the permissions of one user from an eauth or <c>publisher_acl</c> section.</summary>
internal static class PermissionList
{
    /// <summary>
    /// The entries of every principal that names <paramref name="name"/> (text, glob or regex) and of every <c>group%</c>
    /// the user is in; the <c>'*'</c> entry only when no principal named the user, as Salt does without <c>permissive_acl</c>.
    /// </summary>
    public static List<object?> For(IReadOnlyDictionary<string, List<object?>> section, string name, IReadOnlyList<string> groups)
    {
        var perms = new List<object?>();
        var named = false;
        foreach (var (principal, entries) in section)
        {
            if (principal == "*")
            {
                continue;
            }
            if (principal.EndsWith('%'))
            {
                if (groups.Contains(principal.TrimEnd('%'), StringComparer.Ordinal))
                {
                    perms.AddRange(entries);
                }
            }
            else if (new ExprMatch(principal).IsMatch(name))
            {
                named = true;
                perms.AddRange(entries);
            }
        }
        if (!named && section.TryGetValue("*", out var everyone))
        {
            perms.AddRange(everyone);
        }
        return perms;
    }
}
