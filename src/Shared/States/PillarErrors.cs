namespace Orchestrator.Shared.States;

/// <summary>Salt's convention for pillar that failed to render: the errors travel inside the pillar under <c>_errors</c>.</summary>
public static class PillarErrors
{
    /// <summary>The key holding render errors.</summary>
    public const string Key = "_errors";

    /// <summary>Adds <paramref name="errors"/> under <see cref="Key"/> when there are any; returns the pillar.</summary>
    public static Dictionary<string, object?> Attach(Dictionary<string, object?> pillar, IReadOnlyList<string> errors)
    {
        if (errors.Count > 0)
        {
            pillar[Key] = errors.Cast<object?>().ToList();
        }
        return pillar;
    }
}
