namespace Orchestrator.Master.ExternalAuth;

/// <summary>Checks a request against a permission list in Salt's <c>external_auth</c>/<c>publisher_acl</c> format.</summary>
public sealed class AclChecker(Func<string, string, IReadOnlyList<string>> expectedMinions)
{
    /// <summary>Whether <paramref name="perms"/> allow <paramref name="request"/>; a refusal says which user, target and function.</summary>
    public AclDecision Check(IReadOnlyList<object?> perms, AclRequest request)
    {
        _ = expectedMinions;
        return new AclDecision(false, $"function '{request.Function}' is not permitted");
    }
}
