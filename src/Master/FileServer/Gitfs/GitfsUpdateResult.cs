namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>What one remote's fetch did: whether its refs changed, or why it failed (the cache then keeps its last commits).</summary>
public sealed record GitfsUpdateResult(string Remote, bool Success, bool Changed, string Comment)
{
    /// <summary>How a runner's return and an update event show one remote: Salt-like result, changed, comment.</summary>
    public Dictionary<string, object?> ToData() => new(StringComparer.Ordinal)
    {
        ["result"] = Success,
        ["changed"] = Changed,
        ["comment"] = Comment,
    };

    /// <summary>Every remote's result by name.</summary>
    public static Dictionary<string, object?> ByRemote(IEnumerable<GitfsUpdateResult> results) =>
        results.ToDictionary(r => r.Remote, r => (object?)r.ToData(), StringComparer.Ordinal);

    /// <summary>The data of a role's update event: whether anything changed, the role, and each remote's result.</summary>
    public static Dictionary<string, object?> EventData(string backend, IReadOnlyList<GitfsUpdateResult> results) => new(StringComparer.Ordinal)
    {
        ["changed"] = results.Any(r => r.Changed),
        ["backend"] = backend,
        ["remotes"] = ByRemote(results),
    };
}
